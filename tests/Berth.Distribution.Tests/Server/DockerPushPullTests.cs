using Berth.TestSupport;

namespace Berth.Distribution.Tests.Server;

/// <summary>The real Docker engine (Debian's dockerd 20.10, with the docker CLI) pushes to and pulls from <c>berth registry serve</c>.</summary>
public class DockerPushPullTests
{
    [Fact]
    public void Docker_pushes_an_image_pulls_it_back_by_tag_and_digest_and_runs_it()
    {
        using var registry = new BerthRegistry();
        using var docker = new DockerDaemon();
        string name = $"{registry.Address}/tests/busybox";

        docker.Cli("tag", DockerDaemon.Image, name + ":v1").EnsureSuccess("docker tag");
        string pushed = docker.Cli("push", name + ":v1").EnsureSuccess("docker push").Stdout;
        var digestLine = pushed.Split('\n').Single(l => l.StartsWith("v1: digest: sha256:", StringComparison.Ordinal));
        string digest = digestLine.Split(' ')[2];

        // A second push finds every layer there already.
        Assert.Contains("Layer already exists", docker.Cli("push", name + ":v1").EnsureSuccess("docker push again").Stdout);

        docker.Cli("rmi", name + ":v1").EnsureSuccess("docker rmi");
        string pulled = docker.Cli("pull", name + ":v1").EnsureSuccess("docker pull").Stdout;
        Assert.Contains($"Digest: {digest}", pulled);
        Assert.Equal("hello from the registry", docker.Run("--rm", name + ":v1", "echo", "hello from the registry").EnsureSuccess("docker run").Stdout.Trim());

        docker.Cli("rmi", name + ":v1").EnsureSuccess("docker rmi");
        docker.Cli("pull", $"{name}@{digest}").EnsureSuccess("docker pull by digest");
        Assert.Contains(digest, docker.Cli("images", "--digests", "--format", "{{.Digest}}", name).EnsureSuccess("docker images").Stdout);

        var missing = docker.Cli("pull", name + ":nope");
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("manifest unknown", missing.Stderr);
    }
}
