using System.Text.Json;
using Berth.Images.Archive;
using Berth.Oci;
using Berth.Oci.Image;
using Berth.TestSupport;
using static Berth.Images.Tests.Archive.TestImages;

namespace Berth.Images.Tests.Archive;

/// <summary>
/// A real dockerd 20.10 as the oracle: its <c>docker save</c> (legacy layout, several images, a layer shared through
/// Docker's layer.tar link) is read by ArchiveReader, and what ArchiveWriter makes of it loads back into Docker as
/// the same images. skopeo's conversion of Docker's archive to an OCI layout is read too.
/// </summary>
public sealed class DockerInteropTests(DockerDaemon docker) : IClassFixture<DockerDaemon>
{
    const string BaseTag = "berth-test-archive/base:1";
    const string Derived = "berth-test-archive/derived:v1";

    string Id(string image) => docker.Inspect(image, "{{.Id}}");

    string RootFs(string image) => docker.Inspect(image, "{{json .RootFS.Layers}}");

    [Fact]
    public void Docker_save_is_read_and_our_archive_of_it_loads_back_as_the_same_images()
    {
        // A second image on top of the imported busybox: one more layer, made by a container and committed.
        string container = TestIds.New("archive");
        docker.Cli("run", "--name", container, "--network", "none", DockerDaemon.Image, "sh", "-c", "echo hello > /hello && mkdir /data && echo x > /data/x")
            .EnsureSuccess("docker run");
        docker.Cli("commit", container, Derived).EnsureSuccess("docker commit");
        docker.Remove(container);
        docker.Cli("tag", DockerDaemon.Image, BaseTag).EnsureSuccess("docker tag");
        string baseId = Id(DockerDaemon.Image), derivedId = Id(Derived);
        string baseLayers = RootFs(DockerDaemon.Image), derivedLayers = RootFs(Derived);

        string saved = docker.PathOf("saved.tar");
        docker.Cli("save", "-o", saved, DockerDaemon.Image, BaseTag, Derived).EnsureSuccess("docker save");
        string directory = docker.PathOf("saved");
        using (var input = File.OpenRead(saved))
            ArchiveExtractor.Extract(input, directory);
        var images = ArchiveReader.Read(directory);

        Assert.Equal(2, images.Count);
        var byId = images.ToDictionary(i => i.ConfigDigest.ToString());
        Assert.Equal([BaseTag, DockerDaemon.Image], byId[baseId].RepoTags.Order(StringComparer.Ordinal));
        Assert.Equal([Derived], byId[derivedId].RepoTags);
        foreach (var image in images)
        {
            // Every layer file is the layer its config names, the shared one included (a link in Docker's layout).
            Assert.Equal(DiffIds(image).Select(d => d.ToString()), image.Layers.Select(l => Sha256(l.Path)));
        }
        Assert.Equal(JsonSerializer.Serialize(DiffIds(byId[derivedId]).Select(d => d.ToString())), derivedLayers);

        // Written back in Docker 25's layout, removed from Docker, loaded again: the same IDs and layers.
        string ours = docker.PathOf("ours.tar");
        using (var output = File.Create(ours))
            ArchiveWriter.Write(output, [.. images.Select(ToArchiveImage)], ArchiveFormat.Docker);
        docker.Cli("rmi", DockerDaemon.Image, BaseTag, Derived).EnsureSuccess("docker rmi");
        Assert.NotEqual(0, docker.Cli("image", "inspect", Derived).ExitCode);

        var load = docker.Cli("load", "-i", ours).EnsureSuccess("docker load of our archive");
        Assert.Contains($"Loaded image: {Derived}", load.Stdout);
        Assert.Equal(baseId, Id(DockerDaemon.Image));
        Assert.Equal(baseId, Id(BaseTag));
        Assert.Equal(derivedId, Id(Derived));
        Assert.Equal(baseLayers, RootFs(DockerDaemon.Image));
        Assert.Equal(derivedLayers, RootFs(Derived));

        // skopeo turns Docker's own archive into an OCI layout, which we read as the same image.
        string layout = docker.PathOf("skopeo-oci");
        ProcessRunner.Run(HostTools.Require("skopeo", "skopeo"), ["--insecure-policy", "copy", "--quiet", $"docker-archive:{saved}:{Derived}", $"oci:{layout}:derived"],
            timeout: TimeSpan.FromSeconds(60)).EnsureSuccess("skopeo copy docker-archive: oci:");
        var fromSkopeo = Assert.Single(ArchiveReader.Read(layout));
        // skopeo rewrites the config as an OCI config (another image ID); the layers are the same.
        Assert.Equal(derivedLayers, JsonSerializer.Serialize(DiffIds(fromSkopeo).Select(d => d.ToString())));
        Assert.Equal(DiffIds(fromSkopeo).Select(d => d.ToString()), fromSkopeo.Layers.Select(l => DiffIdOf(l.Path)));
    }

    static IReadOnlyList<Digest> DiffIds(LoadedImage image)
        => OciImageJson.Read<ImageConfig>(image.Config, "config").RootFS!.DiffIds!;

    static ArchiveImage ToArchiveImage(LoadedImage image)
        => new(image.ConfigDigest, image.Config,
            [.. DiffIds(image).Zip(image.Layers, (diffId, layer) => new ArchiveLayer(diffId, new FileInfo(layer.Path).Length, () => File.OpenRead(layer.Path)))],
            image.RepoTags);
}
