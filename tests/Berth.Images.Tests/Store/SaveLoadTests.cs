using Berth.Images.Archive;
using Berth.Images.Store;
using Berth.Images.Tests.Layers;
using Berth.TestSupport;

namespace Berth.Images.Tests.Store;

/// <summary>
/// docker save and load between Berth's store and a real dockerd 20.10, both ways, with the same
/// image IDs and layer digests; and Berth's OCI layout through skopeo into a docker-archive Docker loads.
/// </summary>
public sealed class SaveLoadTests(DockerDaemon docker) : IClassFixture<DockerDaemon>, IDisposable
{
    const string Derived = "berth-test-store/derived:1";
    readonly StoreFixture _fixture = new();

    ImageStore Store => _fixture.Store;

    public void Dispose() => _fixture.Dispose();

    string DockerId(string image) => docker.Inspect(image, "{{.Id}}");

    string DockerLayers(string image) => docker.Inspect(image, "{{json .RootFS.Layers}}");

    static string Layers(Image image) => "[" + string.Join(',', image.DiffIds.Select(d => $"\"{d}\"")) + "]";

    [Fact]
    public void Dockers_images_load_with_their_ids_and_ours_load_back_into_docker()
    {
        string container = TestIds.New("store");
        docker.Cli("run", "--name", container, "--network", "none", DockerDaemon.Image, "sh", "-c", "echo hello > /hello && rm /bin/ls")
            .EnsureSuccess("docker run");
        docker.Cli("commit", "--change", "ENV FROM_DOCKER=1", container, Derived).EnsureSuccess("docker commit");
        docker.Remove(container);
        string baseId = DockerId(DockerDaemon.Image), derivedId = DockerId(Derived), derivedLayers = DockerLayers(Derived);

        string saved = docker.PathOf("store-saved.tar");
        docker.Cli("save", "-o", saved, DockerDaemon.Image, Derived).EnsureSuccess("docker save");
        IReadOnlyList<LoadedImageResult> loaded;
        using (var input = File.OpenRead(saved))
            loaded = Store.Load(input);
        Assert.Equal([$"Loaded image: {DockerDaemon.Image}", $"Loaded image: {Derived}"], loaded.SelectMany(l => l.Messages).Order(StringComparer.Ordinal));
        var derived = Store.Get(Derived);
        Assert.Equal(derivedId, derived.Id.ToString());
        Assert.Equal(baseId, Store.Get(DockerDaemon.Image).Id.ToString());
        Assert.Equal(derivedLayers, Layers(derived));
        Assert.Contains("FROM_DOCKER=1", derived.Config.Config!.Env!);
        var root = _fixture.MountContainer(derived, "from-docker");
        Assert.Equal("hello\n", File.ReadAllText(Path.Combine(root, "hello")));
        Assert.False(File.Exists(Path.Combine(root, "bin", "ls")));

        // Loading the same archive again stores nothing new.
        int blobs = Store.Content.List().Count();
        using (var input = File.OpenRead(saved))
            Store.Load(input);
        Assert.Equal(blobs, Store.Content.List().Count());

        // Our save, loaded into Docker after removing its own copies: the same IDs and layers.
        string ours = _fixture.Scratch.File("ours.tar");
        using (var output = File.Create(ours))
            Store.Save([Derived, DockerDaemon.Image], output);
        docker.Cli("rmi", Derived).EnsureSuccess("docker rmi");
        var load = docker.Cli("load", "-i", ours).EnsureSuccess("docker load of Berth's archive");
        Assert.Contains($"Loaded image: {Derived}", load.Stdout);
        Assert.Equal(derivedId, DockerId(Derived));
        Assert.Equal(derivedLayers, DockerLayers(Derived));
        Assert.Equal(baseId, DockerId(DockerDaemon.Image));

        // Berth's OCI layout: skopeo copies it into a docker-archive, which Docker loads with the same layers.
        string layoutTar = _fixture.Scratch.File("layout.tar"), layout = _fixture.Scratch.Dir("layout");
        using (var output = File.Create(layoutTar))
            Store.Save([Derived], output, ArchiveFormat.OciLayout);
        Sh.Ok($"tar -xf '{layoutTar}' -C '{layout}'");
        Assert.False(File.Exists(Path.Combine(layout, "manifest.json")));
        string dockerArchive = _fixture.Scratch.File("from-skopeo.tar");
        ProcessRunner.Run(HostTools.Require("skopeo", "skopeo"), ["--insecure-policy", "copy", "--quiet", $"oci:{layout}:1", $"docker-archive:{dockerArchive}:berth-test-store/skopeo:1"],
            timeout: TimeSpan.FromSeconds(60)).EnsureSuccess("skopeo copy oci: docker-archive:");
        docker.Cli("load", "-i", dockerArchive).EnsureSuccess("docker load of skopeo's archive");
        Assert.Equal(derivedLayers, DockerLayers("berth-test-store/skopeo:1"));
        Assert.Equal(derivedId, DockerId("berth-test-store/skopeo:1"));
        docker.Cli("rmi", "berth-test-store/skopeo:1", Derived);
    }

    [Fact]
    public void Save_and_load_round_trip_between_two_stores()
    {
        var image = _fixture.ImportBusybox("round:1");
        var root = _fixture.MountContainer(image, "w");
        File.WriteAllText(Path.Combine(root, "added"), "added");
        var committed = Store.Commit("w", image, new CommitOptions { Names = [Berth.Images.References.Reference.ParseNormalized("round:2")] });
        string archive = _fixture.Scratch.File("round.tar");
        using (var output = File.Create(archive))
            Store.Save(["round"], output);

        using var other = new StoreFixture();
        using (var input = File.OpenRead(archive))
            other.Store.Load(input);
        Assert.Equal(image.Id, other.Store.Get("round:1").Id);
        Assert.Equal(committed.Id, other.Store.Get("round:2").Id);
        var mounted = other.MountContainer(other.Store.Get("round:2"), "check");
        Assert.Equal("added", File.ReadAllText(Path.Combine(mounted, "added")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(other.Store.Root, "tmp")));
    }

    [Fact]
    public void An_oci_layout_loads_with_its_tags_and_ids()
    {
        var image = _fixture.ImportBusybox("layout:1");
        Store.Tag("layout:1", "layout:2");
        string archive = _fixture.Scratch.File("layout.tar");
        using (var output = File.Create(archive))
            Store.Save(["layout"], output, ArchiveFormat.OciLayout);

        using var other = new StoreFixture();
        IReadOnlyList<LoadedImageResult> loaded;
        using (var input = File.OpenRead(archive))
            loaded = other.Store.Load(input);
        Assert.Equal(["Loaded image: layout:1", "Loaded image: layout:2"], loaded.SelectMany(l => l.Messages).Order(StringComparer.Ordinal));
        Assert.Equal(image.Id, other.Store.Get("layout:2").Id);
        Assert.Empty(other.Store.Verify(other.Store.Get("layout:1")));
    }

    [Fact]
    public void A_damaged_archive_loads_nothing()
    {
        _fixture.ImportBusybox("whole:1");
        string archive = _fixture.Scratch.File("whole.tar");
        using (var output = File.Create(archive))
            Store.Save(["whole:1"], output);
        using var other = new StoreFixture();
        string truncated = _fixture.Scratch.File("truncated.tar");
        Sh.Ok($"head -c {new FileInfo(archive).Length / 2} '{archive}' > '{truncated}'");
        using (var input = File.OpenRead(truncated))
            Assert.Throws<StoreException>(() => other.Store.Load(input));
        Assert.Empty(other.Store.List());
        Assert.Empty(other.Store.Snapshotter.Walk());
        other.Store.CollectGarbage();
        Assert.Empty(other.Store.Content.List());
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(other.Store.Root, "tmp")));
    }
}
