using Berth.TestSupport;

namespace Berth.Distribution.Tests.Server;

/// <summary>skopeo (Debian's) copies images to and from <c>berth registry serve</c>: OCI layouts, multi-platform indexes, Docker schema 2.</summary>
public class SkopeoTests
{
    static readonly string Skopeo = HostTools.Require("skopeo", "skopeo");

    static CommandResult Run(params string[] args) => ProcessRunner.Run(Skopeo, args, timeout: TimeSpan.FromMinutes(2));

    [Fact]
    public void A_multi_platform_index_goes_in_and_comes_back_byte_for_byte()
    {
        using var registry = new BerthRegistry();
        string layout = Path.Combine(registry.Root + "-layout");
        string back = Path.Combine(registry.Root + "-back");
        try
        {
            Directory.CreateDirectory(layout);
            var (amd64Layer, amd64Diff) = OciLayoutBuilder.Layer(layout, new Dictionary<string, string> { ["etc/arch"] = "amd64\n" });
            var (arm64Layer, arm64Diff) = OciLayoutBuilder.Layer(layout, new Dictionary<string, string> { ["etc/arch"] = "arm64\n" });
            var amd64 = OciLayoutBuilder.Image(layout, amd64Layer, "amd64", amd64Diff);
            var arm64 = OciLayoutBuilder.Image(layout, arm64Layer, "arm64", arm64Diff);
            var index = OciLayoutBuilder.Index(layout, (amd64, "amd64"), (arm64, "arm64"));
            OciLayoutBuilder.Finish(layout, index, "multi");
            string target = $"docker://{registry.Address}/team/multi:v1";

            Run("copy", "--all", "--dest-tls-verify=false", $"oci:{layout}:multi", target).EnsureSuccess("skopeo copy --all into the registry");

            string raw = Run("inspect", "--raw", "--tls-verify=false", target).EnsureSuccess("skopeo inspect --raw").Stdout;
            Assert.Equal(File.ReadAllText(Path.Combine(layout, "blobs", "sha256", index.Digest.Encoded)), raw);
            Assert.Contains("v1", Run("list-tags", "--tls-verify=false", $"docker://{registry.Address}/team/multi").EnsureSuccess("skopeo list-tags").Stdout);
            string arm = Run("inspect", "--config", "--tls-verify=false", "--override-arch", "arm64", target).EnsureSuccess("skopeo inspect arm64").Stdout;
            Assert.Contains(arm64Diff.ToString(), arm);

            Directory.CreateDirectory(back);
            Run("copy", "--all", "--src-tls-verify=false", target, $"oci:{back}:again").EnsureSuccess("skopeo copy --all out of the registry");
            foreach (string blob in Directory.EnumerateFiles(Path.Combine(layout, "blobs", "sha256")))
                Assert.Equal(File.ReadAllBytes(blob), File.ReadAllBytes(Path.Combine(back, "blobs", "sha256", Path.GetFileName(blob))));
        }
        finally
        {
            foreach (string dir in new[] { layout, back })
            {
                if (Directory.Exists(dir))
                    Directory.Delete(dir, recursive: true);
            }
        }
    }

    [Fact]
    public void A_busybox_image_pushed_as_docker_schema_2_is_pulled_back_and_a_second_push_skips_its_blobs()
    {
        using var registry = new BerthRegistry("--access-log");
        string layout = registry.Root + "-layout";
        string archive = registry.Root + "-rootfs.tar";
        try
        {
            Directory.CreateDirectory(layout);
            var (layer, diffId) = OciLayoutBuilder.GzipLayer(layout, File.ReadAllBytes(BusyboxRootfs.Tar(archive)));
            var image = OciLayoutBuilder.Image(layout, layer, "amd64", diffId);
            OciLayoutBuilder.Finish(layout, image, "busybox");
            string target = $"docker://{registry.Address}/library/busybox:latest";

            Run("copy", "--format", "v2s2", "--dest-tls-verify=false", $"oci:{layout}:busybox", target).EnsureSuccess("skopeo copy as v2s2");
            string raw = Run("inspect", "--raw", "--tls-verify=false", target).EnsureSuccess("skopeo inspect --raw").Stdout;
            Assert.Contains("application/vnd.docker.distribution.manifest.v2+json", raw);
            Assert.Contains("application/vnd.docker.image.rootfs.diff.tar.gzip", raw);

            int uploadsBefore = registry.Log().Split('\n').Count(l => l.StartsWith("PUT /v2/library/busybox/blobs/uploads/", StringComparison.Ordinal));
            Run("copy", "--format", "v2s2", "--dest-tls-verify=false", $"oci:{layout}:busybox", $"docker://{registry.Address}/library/busybox:again")
                .EnsureSuccess("skopeo copy again");
            int uploadsAfter = registry.Log().Split('\n').Count(l => l.StartsWith("PUT /v2/library/busybox/blobs/uploads/", StringComparison.Ordinal));
            Assert.Equal(uploadsBefore, uploadsAfter);

            string pulled = Run("inspect", "--config", "--tls-verify=false", $"docker://{registry.Address}/library/busybox:again").EnsureSuccess("skopeo inspect").Stdout;
            Assert.Contains(diffId.ToString(), pulled);
        }
        finally
        {
            if (Directory.Exists(layout))
                Directory.Delete(layout, recursive: true);
            File.Delete(archive);
        }
    }
}
