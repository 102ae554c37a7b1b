using Berth.Images.Snapshots;
using Berth.Images.Store;
using Berth.Images.Tests.Layers;

namespace Berth.Images.Tests.Store;

/// <summary>The image operations on a real store (overlayfs): import, unpack into a container's root, commit, export, history, inspect.</summary>
public sealed class ImageStoreTests : IDisposable
{
    readonly StoreFixture _fixture = new();

    ImageStore Store => _fixture.Store;

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void An_imported_rootfs_is_found_by_name_and_id_and_mounts_as_a_container_root()
    {
        var image = _fixture.ImportBusybox("busybox:test");
        Assert.Equal(OverlaySnapshotter.DefaultName, Store.Snapshotter.Name);
        Assert.Equal(image.Id, Store.Get("busybox:test").Id);
        Assert.Equal(image.Id, Store.Get("docker.io/library/busybox:test").Id);
        Assert.Equal(image.Id, Store.Get(image.Id.ToString()).Id);
        Assert.Equal(image.Id, Store.Get(image.ShortId).Id);
        Assert.Equal(StoreErrorKind.NotFound, Assert.Throws<StoreException>(() => Store.Get("busybox")).Kind);
        Assert.Equal("No such image: nothing:here", Assert.Throws<StoreException>(() => Store.Get("nothing:here")).Message);
        Assert.Equal(["busybox:test"], image.RepoTags);
        Assert.Equal(["sh"], image.Config.Config!.Cmd);
        Assert.Equal("Imported from -", image.Config.Comment);

        var root = _fixture.MountContainer(image, "c1");
        Assert.True(File.Exists(Path.Combine(root, "bin", "busybox")));
        Assert.Equal(Sh.Ok($"tar -tf '{_fixture.BusyboxTar}' | sed 's#/$##; s#^\\./##' | grep -v '^\\.\\?$' | sort").Trim(),
            Sh.Ok($"cd '{root}' && find . -mindepth 1 | sed 's#^\\./##' | sort").Trim());

        // A second container shares the unpacked layer.
        var snapshotsBefore = Store.Snapshotter.Walk().Count(s => s.Kind == SnapshotKind.Committed);
        _fixture.MountContainer(image, "c2");
        Assert.Equal(snapshotsBefore, Store.Snapshotter.Walk().Count(s => s.Kind == SnapshotKind.Committed));

        var inspect = Store.Inspect(image);
        Assert.Equal(image.Id.ToString(), inspect.Id);
        Assert.Equal([image.DiffIds[0].ToString()], inspect.RootFSLayers);
        Assert.True(inspect.Size > 500_000, $"size {inspect.Size}");
        Assert.Equal("overlayfs", inspect.GraphDriver.Name);
        Assert.True(Directory.Exists(inspect.GraphDriver.Data["UpperDir"]));
    }

    [Fact]
    public void Commit_keeps_a_written_file_and_a_deletion_from_the_lower_layer()
    {
        var image = _fixture.ImportBusybox("base:1");
        var root = _fixture.MountContainer(image, "worker");
        Sh.Ok($"head -c 50000000 /dev/urandom > '{root}/big.bin' && rm '{root}/bin/ls' && mkdir '{root}/data' && echo hi > '{root}/data/hello'");
        string bigDigest = Sh.Ok($"sha256sum '{root}/big.bin' | cut -c1-64").Trim();
        Assert.Equal(
            new[] { "A /big.bin", "C /bin", "D /bin/ls", "A /data", "A /data/hello" }.Order(StringComparer.Ordinal),
            Store.Snapshotter.Changes("worker").Select(c => c.ToString()).Order(StringComparer.Ordinal));

        bool paused = false, resumed = false;
        var committed = Store.Commit("worker", image, new CommitOptions
        {
            Config = image.Config.Config! with { Env = ["STAGE=committed"], WorkingDir = "/data" },
            Comment = "a test commit",
            Author = "berth",
            CreatedBy = "sh -c work",
            Names = [Berth.Images.References.Reference.ParseNormalized("committed:1")],
            Pause = () => { paused = true; return new Resume(() => resumed = true); },
        });
        Assert.True(paused && resumed);
        Assert.Equal(2, committed.DiffIds.Count);
        Assert.Equal(image.DiffIds[0], committed.DiffIds[0]);
        Assert.Equal(image.Id, committed.Parent);
        Assert.Equal(["STAGE=committed"], committed.Config.Config!.Env);
        Assert.Equal("/data", committed.Config.Config.WorkingDir);
        Assert.Equal(["sh"], committed.Config.Config.Cmd);

        var history = Store.History(committed);
        Assert.Equal(2, history.Count);
        Assert.Equal(committed.Id.ToString(), history[0].Id);
        Assert.Equal(["committed:1"], history[0].Tags);
        Assert.Equal("sh -c work", history[0].CreatedBy);
        Assert.Equal("a test commit", history[0].Comment);
        Assert.InRange(history[0].Size, 50_000_000, 50_001_000);
        Assert.Equal(image.Id.ToString(), history[1].Id);

        var fresh = _fixture.MountContainer(Store.Get("committed:1"), "fresh");
        Assert.Equal(bigDigest, Sh.Ok($"sha256sum '{fresh}/big.bin' | cut -c1-64").Trim());
        Assert.False(File.Exists(Path.Combine(fresh, "bin", "ls")));
        Assert.True(File.Exists(Path.Combine(fresh, "bin", "cat")));
        Assert.Equal("hi\n", File.ReadAllText(Path.Combine(fresh, "data", "hello")));
    }

    [Fact]
    public void Export_writes_a_stopped_containers_whole_file_system()
    {
        var image = _fixture.ImportBusybox("base:1");
        var root = _fixture.MountContainer(image, "exported");
        Sh.Ok($"echo mine > '{root}/etc/mine' && rm '{root}/bin/ls'");
        SnapshotMounts.Unmount(root);
        string tar = _fixture.Scratch.File("export.tar");
        using (var output = File.Create(tar))
            Store.Export("exported", output);
        var names = Sh.Ok($"tar -tf '{tar}'").Split('\n');
        Assert.Contains("etc/mine", names);
        Assert.Contains("bin/cat", names);
        Assert.DoesNotContain("bin/ls", names);
        Assert.DoesNotContain(names, n => n.Contains(".wh.", StringComparison.Ordinal));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(Store.Root, "tmp")));
    }

    [Fact]
    public void A_corrupt_import_stores_nothing()
    {
        string truncated = _fixture.Scratch.File("truncated.tar");
        Sh.Ok($"head -c 300000 '{_fixture.BusyboxTar}' > '{truncated}'");
        using (var input = File.OpenRead(truncated))
            Assert.Throws<StoreException>(() => Store.Import(input, new ImportOptions { Names = [Berth.Images.References.Reference.ParseNormalized("broken:1")] }));
        Assert.Empty(Store.List());
        Assert.Empty(Store.Snapshotter.Walk());
        Assert.Empty(Directory.EnumerateFileSystemEntries(Store.Snapshotter.Directory));
        Store.CollectGarbage();
        Assert.Empty(Store.Content.List());
        Assert.Empty(Store.Content.Ingests());
    }

    [Fact]
    public void A_layer_with_a_relative_symlink_out_of_its_root_is_refused_as_docker_refuses_it()
    {
        var evil = new TestTar().Dir("etc/").Symlink("etc/evil", "../../../sentinel").Build();
        var e = Assert.Throws<StoreException>(() => Store.Import(new MemoryStream(evil), new ImportOptions { Names = [Berth.Images.References.Reference.ParseNormalized("evil:1")] }));
        Assert.Contains("invalid symlink", e.Message);
        Assert.Contains("-> \"../../../sentinel\"", e.Message);
        Assert.Empty(Store.List());
        Assert.Empty(Store.Snapshotter.Walk());

        // Inside the root, relative or absolute (resolved in the container's root), symlinks are kept.
        var fine = new TestTar().Dir("etc/").Dir("bin/").Symlink("etc/up", "../bin").Symlink("etc/abs", "/bin/busybox").Build();
        var image = Store.Import(new MemoryStream(fine), new ImportOptions { Names = [Berth.Images.References.Reference.ParseNormalized("fine:1")] });
        string root = _fixture.MountContainer(image, "c-fine");
        Assert.Equal("../bin", new FileInfo(Path.Combine(root, "etc", "up")).LinkTarget);
        Assert.Equal("/bin/busybox", new FileInfo(Path.Combine(root, "etc", "abs")).LinkTarget);
    }

    sealed class Resume(Action resume) : IDisposable
    {
        public void Dispose() => resume();
    }
}
