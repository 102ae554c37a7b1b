using System.IO.Pipelines;
using Berth.Images.Layers;
using Berth.Images.Metadata;

namespace Berth.Images.Snapshots;

/// <summary>
/// Snapshots as full copies, for file systems overlayfs cannot sit on (as Docker's vfs driver): a new
/// snapshot starts as a copy of its parent, mounts are bind mounts, and changes are found by comparing
/// a snapshot with its parent. Slow and large, but it works anywhere.
/// </summary>
public sealed class VfsSnapshotter(MetadataStore metadata) : Snapshotter(metadata, DefaultName)
{
    public const string DefaultName = "vfs";

    protected override WhiteoutMode Whiteouts => WhiteoutMode.Delete;

    protected override void CreateDirectory(SnapshotRecord self) => System.IO.Directory.CreateDirectory(LayerPath(self.Id));

    /// <summary>Copies the parent through a tar stream, which keeps everything a layer keeps (owners, modes, xattrs, times, links, devices, holes).</summary>
    protected override void Populate(SnapshotRecord self, IReadOnlyList<SnapshotRecord> chain)
    {
        if (chain.Count == 0)
            return;
        var pipe = new Pipe();
        string source = LayerPath(chain[0].Id);
        var writer = Task.Run(() =>
        {
            using var stream = pipe.Writer.AsStream();
            LayerWriter.WriteDirectory(source, stream, new LayerWriteOptions { NanosecondTimes = true });
        });
        try
        {
            using var reader = pipe.Reader.AsStream();
            LayerApplier.Apply(reader, LayerPath(self.Id));
        }
        catch
        {
            pipe.Reader.Complete();
            // A failed read of the parent shows here as a truncated stream: its own error says more.
            ((IAsyncResult)writer).AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(30));
            if (writer.IsFaulted)
                writer.GetAwaiter().GetResult();
            throw;
        }
        writer.GetAwaiter().GetResult();
    }

    protected override IReadOnlyList<MountSpec> MountsOf(SnapshotRecord self, IReadOnlyList<SnapshotRecord> chain)
        => [new MountSpec("bind", LayerPath(self.Id), ["rbind", self.Kind == SnapshotKind.View ? "ro" : "rw"])];

    protected override IReadOnlyList<MountSpec> ReadOnlyMountsOf(SnapshotRecord self, IReadOnlyList<SnapshotRecord> chain)
        => [new MountSpec("bind", LayerPath(self.Id), ["rbind", "ro"])];

    protected override IReadOnlyList<Change> ChangesOf(SnapshotRecord self, IReadOnlyList<SnapshotRecord> chain)
        => LayerChanges.Compare(LayerPath(self.Id), chain.Count > 0 ? LayerPath(chain[0].Id) : null);

    protected override LayerWriteResult WriteLayerOf(SnapshotRecord self, IReadOnlyList<SnapshotRecord> chain, Stream output, LayerWriteOptions? options)
        => LayerWriter.WriteDiff(LayerPath(self.Id), chain.Count > 0 ? LayerPath(chain[0].Id) : null, output, options);
}
