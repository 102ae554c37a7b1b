using Berth.TestSupport;

namespace Berth.Distribution.Tests.Server;

/// <summary><c>berth manifest inspect</c> prints what <c>docker manifest inspect</c> (the real CLI) prints for a manifest of berth registry serve.</summary>
public class ManifestInspectTests
{
    [Fact]
    public void Berth_and_docker_print_the_same_manifest_and_the_same_error()
    {
        using var registry = new BerthRegistry();
        string layout = registry.Root + "-layout";
        string config = registry.Root + "-config";
        try
        {
            Directory.CreateDirectory(layout);
            Directory.CreateDirectory(config);
            var (layer, diffId) = OciLayoutBuilder.Layer(layout, new Dictionary<string, string> { ["hello"] = "inspected\n" });
            OciLayoutBuilder.Finish(layout, OciLayoutBuilder.Image(layout, layer, "amd64", diffId), "t");
            string image = $"{registry.Address}/inspect/app:v1";
            DistributionRegistry.Skopeo("copy", "--dest-tls-verify=false", $"oci:{layout}:t", $"docker://{image}").EnsureSuccess("skopeo copy");
            var environment = new Dictionary<string, string> { ["DOCKER_CONFIG"] = config };
            CommandResult Docker(params string[] args) => ProcessRunner.Run(HostTools.Require("docker", "docker.io"), args, environment: environment);
            CommandResult Berth(params string[] args) => ProcessRunner.Run(RepoPaths.Executable("berth"), args, environment: environment);

            string expected = Docker("manifest", "inspect", "--insecure", image).EnsureSuccess("docker manifest inspect").Stdout;
            Assert.Contains("\t\"layers\": [", expected);
            Assert.Equal(expected, Berth("manifest", "inspect", "--insecure", image).EnsureSuccess("berth manifest inspect").Stdout);

            var dockerMissing = Docker("manifest", "inspect", "--insecure", image + "x");
            var berthMissing = Berth("manifest", "inspect", "--insecure", image + "x");
            Assert.Equal(dockerMissing.ExitCode, berthMissing.ExitCode);
            Assert.Equal(dockerMissing.Stderr, berthMissing.Stderr);
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
