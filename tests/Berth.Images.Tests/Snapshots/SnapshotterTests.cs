using Berth.Images.Gc;
using Berth.Images.Layers;
using Berth.Images.Metadata;
using Berth.Images.Snapshots;
using Berth.Images.Tests.Layers;

namespace Berth.Images.Tests.Snapshots;

/// <summary>
/// Both snapshotters on real mounts: a layer unpacked into a prepared snapshot and committed, a
/// container snapshot over it that adds, changes and deletes through its mount, its changes as
/// <c>docker diff</c> lists them, and its layer applied over the base giving the container's tree.
/// </summary>
public sealed class SnapshotterTests : IDisposable
{
    readonly ScratchDir _scratch = new();
    readonly MetadataStore _metadata;

    public SnapshotterTests() => _metadata = MetadataStore.Open(_scratch.Dir("root"));

    public void Dispose()
    {
        _metadata.Dispose();
        _scratch.Dispose();
    }

    public static TheoryData<string> Kinds => [OverlaySnapshotter.DefaultName, VfsSnapshotter.DefaultName];

    Snapshotter Open(string kind) => kind == VfsSnapshotter.DefaultName ? new VfsSnapshotter(_metadata) : new OverlaySnapshotter(_metadata);

    /// <summary>Unpacks a layer made from a shell script's tree into a new committed snapshot.</summary>
    string Unpack(Snapshotter snapshotter, string name, string? parent, string script)
    {
        string tree = _scratch.Dir($"tree-{name}");
        Sh.Ok($"cd '{tree}' && {script}");
        string tar = _scratch.File($"{name}.tar");
        using (var output = File.Create(tar))
            LayerWriter.WriteDirectory(tree, output);
        string key = $"extract-{name}";
        snapshotter.Prepare(key, parent);
        var target = snapshotter.LayerDirectory(key);
        using (var input = File.OpenRead(tar))
            LayerApplier.Apply(input, target.Path, new ApplyOptions { Whiteouts = target.Whiteouts });
        snapshotter.Commit(name, key);
        return name;
    }

    string MountAt(IReadOnlyList<MountSpec> mounts, string name)
    {
        string target = _scratch.Dir(name);
        SnapshotMounts.Mount(mounts, target);
        return target;
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_container_snapshot_diffs_and_commits_its_changes(string kind)
    {
        var snapshotter = Open(kind);
        Unpack(snapshotter, "base", null, "mkdir -p etc bin && echo root > etc/passwd && echo sh > bin/sh && echo gone > etc/old && mkdir etc/dir && echo x > etc/dir/x");
        Unpack(snapshotter, "top", "base", "mkdir -p etc && echo top > etc/motd");

        var rootfs = MountAt(snapshotter.Prepare("container", "top"), "rootfs");
        Assert.Equal("top\n", File.ReadAllText(Path.Combine(rootfs, "etc/motd")));
        Assert.Equal("root\n", File.ReadAllText(Path.Combine(rootfs, "etc/passwd")));
        Sh.Ok($"cd '{rootfs}' && echo new > etc/new && echo changed >> etc/passwd && rm etc/old && rm -r etc/dir");
        string expected = TreeSnapshot.Of(rootfs, "none", "trusted.overlay.");
        SnapshotMounts.Unmount(rootfs);

        var changes = snapshotter.Changes("container").Select(c => c.ToString()).ToList();
        Assert.Equal(new[] { "C /etc", "D /etc/dir", "A /etc/new", "D /etc/old", "C /etc/passwd" }.Order(StringComparer.Ordinal), changes.Order(StringComparer.Ordinal));

        // The container's layer over the image gives the container's tree.
        string layer = _scratch.File("container.tar");
        using (var output = File.Create(layer))
            snapshotter.WriteLayer("container", output);
        var names = TarNames(layer);
        Assert.Contains(".wh.old", string.Join(' ', names));
        Assert.Contains("etc/.wh.dir", names);
        Unpack(snapshotter, "committed", "top", $"true");
        snapshotter.Prepare("apply", "top");
        var target = snapshotter.LayerDirectory("apply");
        using (var input = File.OpenRead(layer))
            LayerApplier.Apply(input, target.Path, new ApplyOptions { Whiteouts = target.Whiteouts });
        snapshotter.Commit("container-image", "apply");
        var view = MountAt(snapshotter.View("look", "container-image"), "view");
        Assert.Equal(expected, TreeSnapshot.Of(view, "none", "trusted.overlay."));
        SnapshotMounts.Unmount(view);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_file_type_written_through_a_mount_comes_back_bit_exact(string kind)
    {
        var snapshotter = Open(kind);
        Unpack(snapshotter, "base", null, "mkdir -p etc && echo root > etc/passwd");
        var rootfs = MountAt(snapshotter.Prepare("container", "base"), "rootfs");
        string sample = _scratch.Dir("sample");
        SampleTree.Create(sample);
        Sh.Ok($"cp -a '{sample}/.' '{rootfs}/' && rm '{rootfs}/etc/passwd'");
        string expected = TreeSnapshot.Of(rootfs, "ns", "trusted.overlay.");
        SnapshotMounts.Unmount(rootfs);

        string layer = _scratch.File("sample.tar");
        using (var output = File.Create(layer))
            snapshotter.WriteLayer("container", output, new LayerWriteOptions { NanosecondTimes = true });
        snapshotter.Prepare("apply", "base");
        var target = snapshotter.LayerDirectory("apply");
        using (var input = File.OpenRead(layer))
            LayerApplier.Apply(input, target.Path, new ApplyOptions { Whiteouts = target.Whiteouts });
        snapshotter.Commit("sample", "apply");
        var view = MountAt(snapshotter.View("look", "sample"), "view");
        Assert.Equal(expected, TreeSnapshot.Of(view, "ns", "trusted.overlay."));
        Assert.DoesNotContain(TreeSnapshot.Of(view, "none").Split('\n'), l => l.StartsWith("etc/passwd ", StringComparison.Ordinal));
        SnapshotMounts.Unmount(view);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_view_is_read_only_and_parents_are_kept_while_used(string kind)
    {
        var snapshotter = Open(kind);
        Unpack(snapshotter, "base", null, "echo a > a");
        var view = MountAt(snapshotter.View("look", "base"), "view");
        var (code, _, stderr) = Sh.Run($"echo x > '{view}/b'");
        Assert.NotEqual(0, code);
        Assert.Contains("Read-only file system", stderr);
        SnapshotMounts.Unmount(view);

        var error = Assert.Throws<StoreException>(() => snapshotter.Remove("base"));
        Assert.Equal(StoreErrorKind.Conflict, error.Kind);
        Assert.Equal(StoreErrorKind.Conflict, Assert.Throws<StoreException>(() => snapshotter.Prepare("look", "base")).Kind);
        Assert.Equal(StoreErrorKind.NotFound, Assert.Throws<StoreException>(() => snapshotter.Prepare("x", "missing")).Kind);

        snapshotter.Remove("look");
        snapshotter.Remove("base");
        Assert.Empty(snapshotter.Walk());
        Assert.Empty(Directory.EnumerateFileSystemEntries(snapshotter.Directory));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Usage_counts_the_snapshots_own_layer(string kind)
    {
        var snapshotter = Open(kind);
        Unpack(snapshotter, "base", null, "head -c 1000000 /dev/urandom > big && echo a > a && ln a hard");
        Unpack(snapshotter, "top", "base", "echo b > b");
        var usage = snapshotter.Usage("base");
        Assert.InRange(usage.Size, 1_000_000, 1_100_000);
        Assert.Equal(2, usage.Inodes);
        Assert.InRange(snapshotter.Usage("top").Size, 1, kind == VfsSnapshotter.DefaultName ? 1_100_000 : 16_384);
    }

    [Fact]
    public void An_image_deeper_than_a_page_of_mount_options_mounts()
    {
        var snapshotter = new OverlaySnapshotter(_metadata);
        string? parent = null;
        const int Depth = 120;
        for (int i = 0; i < Depth; i++)
        {
            string key = $"extract-{i}";
            snapshotter.Prepare(key, parent);
            File.WriteAllText(Path.Combine(snapshotter.LayerDirectory(key).Path, $"layer-{i}"), $"{i}\n");
            parent = $"layer-{i}";
            snapshotter.Commit(parent, key);
        }
        var mounts = snapshotter.Prepare("container", parent);
        Assert.True(string.Join(',', mounts[0].Options).Length > 4096, "the chain must not fit in one page");
        var rootfs = MountAt(mounts, "rootfs");
        Assert.Equal(Depth, Directory.GetFiles(rootfs).Length);
        Assert.Equal("0\n", File.ReadAllText(Path.Combine(rootfs, "layer-0")));
        File.WriteAllText(Path.Combine(rootfs, "written"), "w");
        SnapshotMounts.Unmount(rootfs);
        Assert.Equal(["A /written"], snapshotter.Changes("container").Select(c => c.ToString()));
    }

    [Fact]
    public void A_deep_mount_with_a_missing_lower_says_what_the_kernel_said()
    {
        var mounts = new[] { new MountSpec("overlay", "overlay", [
            "lowerdir=" + string.Join(':', Enumerable.Range(0, 100).Select(i => _scratch.Dir($"l{i:D3}-{new string('x', 40)}"))) + ":/nonexistent/lower",
            "upperdir=" + _scratch.Dir("upper"), "workdir=" + _scratch.Dir("work")]) };
        var target = _scratch.Dir("target");
        var error = Assert.ThrowsAny<Exception>(() => SnapshotMounts.Mount(mounts, target));
        Assert.Contains("/nonexistent/lower", error.Message);
        Assert.DoesNotContain(target, File.ReadAllText("/proc/self/mounts"));
    }

    [Fact]
    public void Collection_removes_directories_a_crash_left_without_rows()
    {
        var snapshotter = new OverlaySnapshotter(_metadata);
        Unpack(snapshotter, "base", null, "echo a > a");
        _metadata.Write(tx => tx.Snapshots(snapshotter.Name).SetLabel("base", GcLabels.Root, ""));
        string orphan = Path.Combine(snapshotter.Directory, "9999");
        Directory.CreateDirectory(Path.Combine(orphan, "fs"));
        File.WriteAllText(Path.Combine(orphan, "fs", "debris"), "x");
        // Active snapshots are containers' and kept; one an unpack left behind is transient.
        snapshotter.Prepare("unreferenced", "base", new Dictionary<string, string> { [GcLabels.Transient] = "" });
        snapshotter.Prepare("container", "base");

        var content = new Berth.Images.Content.FileContentStore(Path.Combine(_metadata.Root, "content"));
        new GarbageCollector(_metadata, content, [snapshotter]).Collect();

        Assert.False(Directory.Exists(orphan));
        Assert.Equal(["base", "container"], snapshotter.Walk().Select(s => s.Key).Order(StringComparer.Ordinal));
        Assert.Equal(2, Directory.EnumerateDirectories(snapshotter.Directory).Count());
    }

    static List<string> TarNames(string tar)
    {
        using var input = File.OpenRead(tar);
        using var reader = new TarReader(input);
        var names = new List<string>();
        while (reader.Next() is { } e)
            names.Add(e.Name);
        return names;
    }
}
