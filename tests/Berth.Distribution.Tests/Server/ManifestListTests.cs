using System.Text.Json;
using Berth.TestSupport;

namespace Berth.Distribution.Tests.Server;

/// <summary>
/// A Docker manifest list (schema 2 list) made and pushed by the real docker CLI (<c>docker manifest create/push</c>)
/// into <c>berth registry serve</c>, kept with its media type and resolved per platform by skopeo.
/// </summary>
public class ManifestListTests
{
    const string ManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";

    [Fact]
    public void Docker_manifest_push_stores_a_manifest_list_that_skopeo_resolves_per_platform()
    {
        using var registry = new BerthRegistry();
        string layout = registry.Root + "-layout";
        string config = registry.Root + "-config";
        try
        {
            Directory.CreateDirectory(layout);
            Directory.CreateDirectory(config);
            var (amd64Layer, amd64Diff) = OciLayoutBuilder.Layer(layout, new Dictionary<string, string> { ["etc/arch"] = "amd64\n" });
            var (arm64Layer, arm64Diff) = OciLayoutBuilder.Layer(layout, new Dictionary<string, string> { ["etc/arch"] = "arm64\n" });
            var index = OciLayoutBuilder.Index(layout, (OciLayoutBuilder.Image(layout, amd64Layer, "amd64", amd64Diff), "amd64"),
                (OciLayoutBuilder.Image(layout, arm64Layer, "arm64", arm64Diff), "arm64"));
            OciLayoutBuilder.Finish(layout, index, "multi");
            string repository = $"{registry.Address}/team/listed";
            // Each platform's image as Docker schema 2, as docker manifest create takes them.
            foreach (string arch in new[] { "amd64", "arm64" })
            {
                DistributionRegistry.Skopeo("copy", "--format", "v2s2", "--override-arch", arch, "--dest-tls-verify=false", $"oci:{layout}:multi", $"docker://{repository}:{arch}")
                    .EnsureSuccess($"skopeo copy {arch}");
            }

            var environment = new Dictionary<string, string> { ["DOCKER_CONFIG"] = config };
            CommandResult Docker(params string[] args) => ProcessRunner.Run(HostTools.Require("docker", "docker.io"), args, environment: environment, timeout: TimeSpan.FromMinutes(1));
            Docker("manifest", "create", "--insecure", $"{repository}:list", $"{repository}:amd64", $"{repository}:arm64").EnsureSuccess("docker manifest create");
            string pushed = Docker("manifest", "push", "--insecure", $"{repository}:list").EnsureSuccess("docker manifest push").Stdout.Trim();
            Assert.StartsWith("sha256:", pushed);

            string raw = DistributionRegistry.Skopeo("inspect", "--raw", "--tls-verify=false", $"docker://{repository}:list").EnsureSuccess("skopeo inspect --raw").Stdout;
            var list = JsonDocument.Parse(raw).RootElement;
            Assert.Equal(ManifestList, list.GetProperty("mediaType").GetString());
            Assert.Equal(2, list.GetProperty("manifests").GetArrayLength());
            Assert.Equal(pushed, Berth.Oci.Digest.FromBytes(System.Text.Encoding.UTF8.GetBytes(raw)).ToString());

            string arm = DistributionRegistry.Skopeo("inspect", "--config", "--tls-verify=false", "--override-arch", "arm64", $"docker://{repository}:list").EnsureSuccess("skopeo inspect arm64").Stdout;
            Assert.Contains(arm64Diff.ToString(), arm);
            string amd = DistributionRegistry.Skopeo("inspect", "--config", "--tls-verify=false", "--override-arch", "amd64", $"docker://{repository}@{pushed}").EnsureSuccess("skopeo inspect amd64 by digest").Stdout;
            Assert.Contains(amd64Diff.ToString(), amd);

            // The list is served with its own media type (the registry keeps what was pushed).
            using var http = new HttpClient();
            var request = new HttpRequestMessage(HttpMethod.Get, $"http://{registry.Address}/v2/team/listed/manifests/list");
            request.Headers.Accept.ParseAdd(ManifestList);
            using var response = http.Send(request);
            Assert.Equal(ManifestList, response.Content.Headers.ContentType!.MediaType);
            Assert.Equal(pushed, response.Headers.GetValues("Docker-Content-Digest").Single());
        }
        finally
        {
            foreach (string dir in new[] { layout, config })
            {
                if (Directory.Exists(dir))
                    Directory.Delete(dir, recursive: true);
            }
        }
    }
}
