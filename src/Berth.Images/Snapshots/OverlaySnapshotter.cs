using Berth.Images.Layers;
using Berth.Images.Metadata;

namespace Berth.Images.Snapshots;

/// <summary>
/// Snapshots on the kernel's overlayfs, as Docker's overlay2 and containerd's overlayfs: a
/// committed snapshot is a read-only directory shared by everything above it; an active one is an
/// upper and a work directory over its parents' layers (nearest first in lowerdir). A layer is
/// applied straight into the upper directory with overlay whiteouts, and a commit's layer is the
/// upper directory as it is. Deep chains still mount: <see cref="SnapshotMounts"/> hands each lower
/// directory to the kernel on its own when the option string would not fit in a page.
/// </summary>
public sealed class OverlaySnapshotter(MetadataStore metadata) : Snapshotter(metadata, DefaultName)
{
    public const string DefaultName = "overlayfs";

    protected override WhiteoutMode Whiteouts => WhiteoutMode.Overlay;

    protected override void CreateDirectory(SnapshotRecord self)
    {
        System.IO.Directory.CreateDirectory(LayerPath(self.Id));
        if (self.Kind == SnapshotKind.Active)
            System.IO.Directory.CreateDirectory(WorkPath(self.Id));
    }

    protected override IReadOnlyList<MountSpec> MountsOf(SnapshotRecord self, IReadOnlyList<SnapshotRecord> chain)
    {
        if (chain.Count == 0)
            return [Bind(LayerPath(self.Id), self.Kind == SnapshotKind.View)];
        if (self.Kind == SnapshotKind.View && chain.Count == 1)
            return [Bind(LayerPath(chain[0].Id), readOnly: true)];
        var options = new List<string>(OverlayFeatures.Options);
        string lower = "lowerdir=" + string.Join(':', chain.Select(p => LayerPath(p.Id)));
        if (self.Kind == SnapshotKind.Active)
        {
            options.Add("workdir=" + WorkPath(self.Id));
            options.Add("upperdir=" + LayerPath(self.Id));
        }
        options.Add(lower);
        return [new MountSpec("overlay", "overlay", options)];
    }

    protected override IReadOnlyList<MountSpec> ReadOnlyMountsOf(SnapshotRecord self, IReadOnlyList<SnapshotRecord> chain)
        => chain.Count == 0
            ? [Bind(LayerPath(self.Id), readOnly: true)]
            : [new MountSpec("overlay", "overlay", [.. OverlayFeatures.Options, "lowerdir=" + string.Join(':', chain.Prepend(self).Select(p => LayerPath(p.Id)))])];

    protected override IReadOnlyList<Change> ChangesOf(SnapshotRecord self, IReadOnlyList<SnapshotRecord> chain)
        => LayerChanges.Overlay(LayerPath(self.Id), [.. chain.Select(p => LayerPath(p.Id))]);

    protected override LayerWriteResult WriteLayerOf(SnapshotRecord self, IReadOnlyList<SnapshotRecord> chain, Stream output, LayerWriteOptions? options)
        => LayerWriter.WriteOverlayDiff(LayerPath(self.Id), output, options);

    string WorkPath(long id) => Path.Combine(PathOf(id), "work");

    static MountSpec Bind(string path, bool readOnly) => new("bind", path, ["rbind", readOnly ? "ro" : "rw"]);
}

/// <summary>
/// overlayfs features switched off on every mount, where the kernel has them: an index or redirects
/// would tie an upper directory to the lower directories of its first mount, and metacopy would leave
/// copied-up files without their data in the upper directory, whose contents a commit writes out.
/// </summary>
internal static class OverlayFeatures
{
    public static readonly IReadOnlyList<string> Options =
    [
        .. new[] { ("index", "index=off"), ("redirect_dir", "redirect_dir=off"), ("metacopy", "metacopy=off") }
            .Where(f => File.Exists($"/sys/module/overlay/parameters/{f.Item1}"))
            .Select(f => f.Item2),
    ];
}
