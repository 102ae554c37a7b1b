using Berth.Images.Archive;
using Berth.Images.Tests.Layers;
using Berth.Oci;
using Berth.Oci.Image;
using Berth.TestSupport;
using static Berth.Images.Tests.Archive.TestImages;

namespace Berth.Images.Tests.Archive;

/// <summary>skopeo (containers/image) as a second implementation of both formats: it reads what we write, we read what it writes.</summary>
public sealed class SkopeoInteropTests : IDisposable
{
    readonly ScratchDir _scratch = new();
    readonly string _skopeo = HostTools.Require("skopeo", "skopeo");

    static readonly byte[] Base = Layer("etc/os-release", "bin/tool");
    static readonly byte[] Top = Layer("app/main");
    static readonly ArchiveImage App = Image([Base, Top], ["berth-test/app:v1"]);

    public void Dispose() => _scratch.Dispose();

    void Skopeo(string source, string destination)
        => ProcessRunner.Run(_skopeo, ["--insecure-policy", "copy", "--quiet", source, destination], timeout: TimeSpan.FromSeconds(60))
            .EnsureSuccess($"skopeo copy {source} {destination}");

    string Extract(byte[] archive, string name)
    {
        string directory = _scratch.File(name);
        ArchiveExtractor.Extract(new MemoryStream(archive), directory);
        return directory;
    }

    static void AssertIsApp(LoadedImage image, bool sameConfig = true)
    {
        if (sameConfig)
            Assert.Equal(App.ConfigDigest, image.ConfigDigest);
        string[] diffIds = [Digest.FromBytes(Base).ToString(), Digest.FromBytes(Top).ToString()];
        Assert.Equal(diffIds, OciImageJson.Read<ImageConfig>(image.Config, "config").RootFS!.DiffIds!.Select(d => d.ToString()));
        Assert.Equal(diffIds, image.Layers.Select(l => DiffIdOf(l.Path)));
    }

    [Fact]
    public void Skopeo_copies_our_oci_layout_to_a_docker_archive_that_we_read_back()
    {
        string layout = Extract(Write([App], ArchiveFormat.OciLayout), "layout");
        string archive = _scratch.File("skopeo-docker.tar");
        Skopeo($"oci:{layout}:v1", $"docker-archive:{archive}:berth-test/app:v1");

        var image = Assert.Single(ArchiveReader.Read(Extract(File.ReadAllBytes(archive), "from-skopeo")));
        AssertIsApp(image);
        Assert.Equal(["berth-test/app:v1"], image.RepoTags);
    }

    [Fact]
    public void Skopeo_reads_our_docker_archive_and_we_read_its_oci_layout()
    {
        string archive = _scratch.File("ours.tar");
        File.WriteAllBytes(archive, Write([App], ArchiveFormat.Docker));
        string layout = _scratch.File("skopeo-oci");
        Skopeo($"docker-archive:{archive}:berth-test/app:v1", $"oci:{layout}:v1");

        var image = Assert.Single(ArchiveReader.Read(layout));
        // skopeo rewrites a Docker config as an OCI one (other key order), and gzips the layers.
        AssertIsApp(image, sameConfig: false);
        Assert.All(image.Layers, l => Assert.Equal(MediaTypes.OciLayerGzip, l.MediaType));
        Assert.Empty(image.RepoTags); // skopeo records the bare ref name "v1", which names no repository
    }
}
