using Berth.Images.Archive;
using Berth.Images.Tests.Gc;
using Berth.Images.Store;
using Berth.Images.Tests.Layers;
using Xunit.Abstractions;

namespace Berth.Images.Tests.Store;

/// <summary>
/// kill -9 during loads, imports and commits (tests/Berth.Images.CrashHelper, "store" mode) at random
/// instants: afterwards the store opens, every image it lists passes verification and unpacks, and a
/// collection leaves it consistent.
/// </summary>
public sealed class StoreCrashTests(ITestOutputHelper output) : IDisposable
{
    const int Iterations = 12;
    readonly StoreFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void Kill9_during_load_and_commit_leaves_only_whole_images()
    {
        // The archive to load: two images, made by this store before the helper takes over.
        var image = _fixture.ImportBusybox("crash/base:1");
        var mounted = _fixture.MountContainer(image, "seed");
        Sh.Ok($"head -c 20000000 /dev/urandom > '{mounted}/payload'");
        _fixture.Store.Commit("seed", image, new CommitOptions { Names = [Berth.Images.References.Reference.ParseNormalized("crash/seed:1")] });
        string archive = _fixture.Scratch.File("archive.tar");
        using (var file = File.Create(archive))
            _fixture.Store.Save(["crash/base:1", "crash/seed:1"], file, ArchiveFormat.Docker);
        Berth.Images.Snapshots.SnapshotMounts.Unmount(mounted);
        string root = _fixture.Scratch.Dir("crash-root");

        var random = new Random(20261129);
        int imagesSeen = 0;
        for (int i = 0; i < Iterations; i++)
        {
            CrashHelperBuild.RunAndKill([root, i.ToString(System.Globalization.CultureInfo.InvariantCulture), "store", _fixture.BusyboxTar, archive],
                TimeSpan.FromMilliseconds(random.Next(200, 2500)));
            using var store = ImageStore.Open(root);
            // Opening removed the scratch directories (and mounts) of the killed process.
            string tmp = Path.Combine(root, "tmp");
            Assert.True(!Directory.Exists(tmp) || !Directory.EnumerateFileSystemEntries(tmp).Any(), "the killed helper's scratch directories are left");
            var images = store.List();
            imagesSeen += images.Count;
            foreach (var listed in images)
                Assert.Empty(store.Verify(listed));
            if (i % 3 == 2)
            {
                store.CollectGarbage();
                foreach (var listed in store.List())
                {
                    Assert.Empty(store.Verify(listed));
                    Assert.Equal(listed.ChainId?.ToString(), store.Unpack(listed));
                }
            }
            output.WriteLine($"kill {i}: {images.Count} images, {store.Content.List().Count()} blobs, {store.Content.Ingests().Count()} ingests");
        }
        Assert.True(imagesSeen > 0, "the kills never met a store with images");
    }
}
