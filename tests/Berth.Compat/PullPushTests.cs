using System.Text.Json;
using Berth.TestSupport;

namespace Berth.Compat;

/// <summary>
/// The docker CLI (28) pulls and pushes through berthd against Debian's docker-registry (distribution 2.8) on
/// 127.0.0.1: one daemon with the busybox image pushes, another (empty) pulls.
/// </summary>
public sealed class PullPushTests : IClassFixture<PullPushTests.Daemons>, IDisposable
{
    /// <summary>A daemon with the test image (the pusher) and an empty one (the puller), shared by the tests.</summary>
    public sealed class Daemons : IDisposable
    {
        public BerthDaemon Pusher { get; } = new();

        public BerthDaemon Puller { get; } = new([], importImage: false);

        public void Dispose()
        {
            try
            {
                Pusher.Dispose();
            }
            finally
            {
                Puller.Dispose();
            }
        }
    }

    readonly BerthDaemon _pusher;
    readonly BerthDaemon _puller;
    readonly DistributionRegistry _registry = new();

    public PullPushTests(Daemons daemons)
    {
        _pusher = daemons.Pusher;
        _puller = daemons.Puller;
    }

    public void Dispose() => _registry.Dispose();

    /// <summary>Tags the test image as <paramref name="repository"/>:<paramref name="tag"/> in the registry and pushes it.</summary>
    CommandResult Push(string repository, string tag)
    {
        string name = $"{_registry.Host}/{repository}:{tag}";
        _pusher.Cli("tag", BerthDaemon.Image, name).EnsureSuccess("docker tag");
        return _pusher.Cli(["push", name], timeout: TimeSpan.FromMinutes(2));
    }

    [Fact]
    public void Push_then_pull_into_another_daemon_runs_records_the_repo_digest_and_a_second_pull_is_up_to_date()
    {
        var push = Push("compat/busybox", "v1").EnsureSuccess("docker push");
        Assert.Contains($"The push refers to repository [{_registry.Host}/compat/busybox]", push.Stdout);
        Assert.Contains("Pushed", push.Stdout);
        var digest = System.Text.RegularExpressions.Regex.Match(push.Stdout, @"v1: digest: (sha256:[0-9a-f]{64}) size: \d+").Groups[1].Value;
        Assert.NotEmpty(digest);

        var inspect = DistributionRegistry.Skopeo("inspect", "--tls-verify=false", $"docker://{_registry.Host}/compat/busybox:v1").EnsureSuccess("skopeo inspect");
        Assert.Equal(digest, JsonDocument.Parse(inspect.Stdout).RootElement.GetProperty("Digest").GetString());
        Assert.Contains($"{_registry.Host}/compat/busybox@{digest}", _pusher.Inspect($"{_registry.Host}/compat/busybox:v1", "{{json .RepoDigests}}"));

        var again = Push("compat/busybox", "v1").EnsureSuccess("second docker push");
        Assert.Contains("Layer already exists", again.Stdout);

        string name = $"{_registry.Host}/compat/busybox:v1";
        var pull = _puller.Cli(["pull", name], timeout: TimeSpan.FromMinutes(2)).EnsureSuccess("docker pull");
        Assert.Contains("v1: Pulling from compat/busybox", pull.Stdout);
        Assert.Contains("Pull complete", pull.Stdout);
        Assert.Contains($"Digest: {digest}", pull.Stdout);
        Assert.Contains($"Status: Downloaded newer image for {name}", pull.Stdout);
        Assert.Contains(name, pull.Stdout.Trim().Split('\n')[^1]);
        Assert.Equal(_pusher.Inspect(name, "{{.Id}}"), _puller.Inspect(name, "{{.Id}}"));
        Assert.Contains($"{_registry.Host}/compat/busybox@{digest}", _puller.Inspect(name, "{{json .RepoDigests}}"));
        var run = _puller.Cli(["run", "--rm", name, "echo", "pulled"], timeout: TimeSpan.FromMinutes(1)).EnsureSuccess("docker run of the pulled image");
        Assert.Equal("pulled\n", run.Stdout);

        var second = _puller.Cli(["pull", name], timeout: TimeSpan.FromMinutes(1)).EnsureSuccess("second docker pull");
        Assert.Contains($"Status: Image is up to date for {name}", second.Stdout);

        var byDigest = _puller.Cli(["pull", $"{_registry.Host}/compat/busybox@{digest}"], timeout: TimeSpan.FromMinutes(1)).EnsureSuccess("docker pull by digest");
        Assert.Contains($"Digest: {digest}", byDigest.Stdout);
        _puller.Cli("rmi", name);
    }

    [Fact]
    public void A_missing_tag_gives_docker_s_error_and_leaves_no_image()
    {
        Push("compat/missing", "there").EnsureSuccess("docker push");
        string name = $"{_registry.Host}/compat/missing:not-there";
        var pull = _puller.Cli(["pull", name], timeout: TimeSpan.FromMinutes(1));
        Assert.NotEqual(0, pull.ExitCode);
        Assert.Contains($"manifest for {name} not found: manifest unknown", pull.Stderr);
        Assert.NotEqual(0, _puller.Cli("image", "inspect", name).ExitCode);

        var repo = _puller.Cli(["pull", $"{_registry.Host}/compat/never-pushed"], timeout: TimeSpan.FromMinutes(1));
        Assert.NotEqual(0, repo.ExitCode);
        Assert.Matches("manifest unknown|pull access denied", repo.Stderr);

        var push = _puller.Cli(["push", $"{_registry.Host}/compat/nothing:v1"], timeout: TimeSpan.FromMinutes(1));
        Assert.NotEqual(0, push.ExitCode);
        Assert.Contains($"An image does not exist locally with the tag: {_registry.Host}/compat/nothing", push.Stderr);
    }

    [Fact]
    public void A_corrupt_blob_in_the_registry_fails_the_pull_and_leaves_no_image()
    {
        // A layer of its own, so that the puller cannot have it from another test.
        string name = $"{_registry.Host}/compat/corrupt:v1";
        string container = TestIds.New("corrupt");
        _pusher.Cli("run", "--name", container, BerthDaemon.Image, "sh", "-c", $"echo {Guid.NewGuid()} > /unique").EnsureSuccess("docker run");
        _pusher.Cli("commit", container, name).EnsureSuccess("docker commit");
        _pusher.Cli("rm", container);
        _pusher.Cli(["push", name], timeout: TimeSpan.FromMinutes(2)).EnsureSuccess("docker push");
        string layer = JsonDocument.Parse(DistributionRegistry.Skopeo("inspect", "--tls-verify=false", $"docker://{name}").EnsureSuccess("skopeo inspect").Stdout)
            .RootElement.GetProperty("Layers").EnumerateArray().Last().GetString()!;
        string blob = _registry.BlobPath(layer);
        var bytes = File.ReadAllBytes(blob);
        bytes[bytes.Length / 2] ^= 0xff;
        File.WriteAllBytes(blob, bytes);

        var pull = _puller.Cli(["pull", name], timeout: TimeSpan.FromMinutes(1));
        Assert.NotEqual(0, pull.ExitCode);
        Assert.Contains("verification failed", pull.Stderr + pull.Stdout);
        Assert.NotEqual(0, _puller.Cli("image", "inspect", name).ExitCode);
        Assert.DoesNotContain("compat/corrupt", _puller.Cli("images", "--format", "{{.Repository}}").Stdout);
    }

    /// <summary>The test image copied by skopeo from a docker save archive: Docker schema 2 with gzip layers, as registries mostly hold.</summary>
    string CopyWithSkopeo(string repository, string tag)
    {
        string tar = _pusher.PathOf($"skopeo-{Guid.NewGuid():N}.tar");
        try
        {
            _pusher.Cli("save", "-o", tar, BerthDaemon.Image).EnsureSuccess("docker save");
            string name = $"{_registry.Host}/{repository}:{tag}";
            DistributionRegistry.Skopeo("copy", "--dest-tls-verify=false", $"docker-archive:{tar}", $"docker://{name}").EnsureSuccess("skopeo copy");
            return name;
        }
        finally
        {
            File.Delete(tar);
        }
    }

    [Fact]
    public void A_gzip_image_pulled_on_a_terminal_draws_progress_bars_and_mounts_into_another_repository_on_push()
    {
        string name = CopyWithSkopeo("compat/gzip", "v1");
        var inspect = JsonDocument.Parse(DistributionRegistry.Skopeo("inspect", "--raw", "--tls-verify=false", $"docker://{name}").EnsureSuccess("skopeo inspect").Stdout).RootElement;
        Assert.EndsWith("tar.gzip", inspect.GetProperty("layers")[0].GetProperty("mediaType").GetString());

        using (var terminal = _puller.Terminal("pull", name))
        {
            Assert.Equal(0, terminal.WaitExit(TimeSpan.FromMinutes(2)));
            Assert.Contains("Pulling fs layer", terminal.Output);
            Assert.Contains("Downloading", terminal.Output);
            Assert.Contains("/", terminal.Output); // current/total (the bar itself needs a terminal wider than 110 columns)
            Assert.Contains("Extracting", terminal.Output);
            Assert.Contains("Pull complete", terminal.Output);
            Assert.Contains($"Status: Downloaded newer image for {name}", terminal.Output);
        }
        Assert.Equal("gzip\n", _puller.Cli(["run", "--rm", name, "echo", "gzip"], timeout: TimeSpan.FromMinutes(1)).EnsureSuccess("docker run").Stdout);

        string mounted = $"{_registry.Host}/compat/mounted:v1";
        _puller.Cli("tag", name, mounted).EnsureSuccess("docker tag");
        var push = _puller.Cli(["push", mounted], timeout: TimeSpan.FromMinutes(1)).EnsureSuccess("docker push");
        Assert.Contains("Mounted from compat/gzip", push.Stdout);
        DistributionRegistry.Skopeo("inspect", "--tls-verify=false", $"docker://{mounted}").EnsureSuccess("skopeo inspect of the mounted image");
        _puller.Cli("rmi", name, mounted);
    }

    [Fact]
    public void Docker_login_through_berthd_lets_push_and_pull_reach_a_registry_with_basic_auth()
    {
        using var registry = new DistributionRegistry("berth", "s3cret");
        string name = $"{registry.Host}/compat/private:v1";
        var wrong = _puller.Cli(["login", "-u", "berth", "--password-stdin", registry.Host], stdin: "wrong\n");
        Assert.NotEqual(0, wrong.ExitCode);
        Assert.Contains("401 Unauthorized", wrong.Stderr);

        _pusher.Cli(["login", "-u", "berth", "--password-stdin", registry.Host], stdin: "s3cret\n").EnsureSuccess("docker login (pusher)");
        var login = _puller.Cli(["login", "-u", "berth", "--password-stdin", registry.Host], stdin: "s3cret\n").EnsureSuccess("docker login (puller)");
        Assert.Contains("Login Succeeded", login.Stdout);
        try
        {
            _pusher.Cli("tag", BerthDaemon.Image, name).EnsureSuccess("docker tag");
            _pusher.Cli(["push", name], timeout: TimeSpan.FromMinutes(1)).EnsureSuccess("docker push with credentials");
            _puller.Cli(["pull", name], timeout: TimeSpan.FromMinutes(1)).EnsureSuccess("docker pull with credentials");
        }
        finally
        {
            _pusher.Cli("logout", registry.Host);
            _puller.Cli("logout", registry.Host);
        }
        _puller.Cli("rmi", name);
        var anonymous = _puller.Cli(["pull", name], timeout: TimeSpan.FromMinutes(1));
        Assert.NotEqual(0, anonymous.ExitCode);
        Assert.Contains("pull access denied", anonymous.Stderr);
    }

    [Fact]
    public void Pull_all_tags_pulls_every_tag_and_pull_and_push_are_image_events()
    {
        string since = DateTimeOffset.UtcNow.AddSeconds(-1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        string repository = $"{_registry.Host}/compat/all";
        _pusher.Cli("tag", BerthDaemon.Image, $"{repository}:a").EnsureSuccess("docker tag a");
        _pusher.Cli("tag", BerthDaemon.Image, $"{repository}:b").EnsureSuccess("docker tag b");
        var push = _pusher.Cli(["push", "--all-tags", repository], timeout: TimeSpan.FromMinutes(2)).EnsureSuccess("docker push -a");
        Assert.Matches(@"a: digest: sha256:[0-9a-f]{64} size: \d+", push.Stdout);
        Assert.Matches(@"b: digest: sha256:[0-9a-f]{64} size: \d+", push.Stdout);
        var pull = _puller.Cli(["pull", "--all-tags", repository], timeout: TimeSpan.FromMinutes(2)).EnsureSuccess("docker pull -a");
        Assert.Contains("a: Pulling from compat/all", pull.Stdout);
        Assert.Contains("b: Pulling from compat/all", pull.Stdout);
        Assert.Contains($"Status: Downloaded newer image for {repository}", pull.Stdout);
        var tags = _puller.Cli("images", "--format", "{{.Repository}}:{{.Tag}}", repository).EnsureSuccess("docker images").Stdout;
        Assert.Contains($"{repository}:a", tags);
        Assert.Contains($"{repository}:b", tags);

        string until = DateTimeOffset.UtcNow.AddSeconds(1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var pushed = _pusher.Cli("events", "--since", since, "--until", until, "--filter", "type=image", "--filter", "event=push", "--format", "{{.Action}} {{.Actor.ID}}").EnsureSuccess("docker events (pusher)");
        Assert.Contains($"push {repository}:a", pushed.Stdout);
        var pulled = _puller.Cli("events", "--since", since, "--until", until, "--filter", "type=image", "--filter", "event=pull", "--format", "{{.Action}} {{.Actor.ID}}").EnsureSuccess("docker events (puller)");
        Assert.Contains($"pull {repository}", pulled.Stdout);
        _puller.Cli("rmi", $"{repository}:a", $"{repository}:b");
    }

    [Fact]
    public void Docker_info_shows_the_insecure_registries_and_mirrors_of_the_daemon_s_flags()
    {
        using var daemon = new BerthDaemon(["--insecure-registry", "registry.example:5000", "--insecure-registry", "10.0.0.0/8", "--registry-mirror", "http://127.0.0.1:5001"], importImage: false);
        var info = daemon.Cli("info").EnsureSuccess("docker info").Stdout;
        Assert.Contains(" Insecure Registries:\n  registry.example:5000\n  ::1/128\n  127.0.0.0/8\n  10.0.0.0/8\n", info);
        Assert.Contains(" Registry Mirrors:\n  http://127.0.0.1:5001/\n", info);
    }

    [Fact]
    public void A_docker_hub_image_is_pulled_from_the_daemon_s_registry_mirror()
    {
        // The mirror holds compat/mirrored as Docker Hub would hold docker.io/compat/mirrored; it has it, so the pull
        // stops there and nothing goes to Docker Hub.
        Push("compat/mirrored", "v1").EnsureSuccess("docker push to the mirror");
        DistributionRegistry.Skopeo("inspect", "--tls-verify=false", $"docker://{_registry.Host}/compat/mirrored:v1").EnsureSuccess("skopeo inspect of the mirror");
        using var daemon = new BerthDaemon(["--registry-mirror", $"http://{_registry.Host}"], importImage: false);
        var pull = daemon.Cli(["pull", "compat/mirrored:v1"], timeout: TimeSpan.FromMinutes(2)).EnsureSuccess("docker pull through the mirror");
        Assert.Contains("v1: Pulling from compat/mirrored", pull.Stdout);
        Assert.Contains("Status: Downloaded newer image for compat/mirrored:v1", pull.Stdout);
        Assert.Equal("docker.io/compat/mirrored:v1", pull.Stdout.Trim().Split('\n')[^1]);
        Assert.Equal(_pusher.Inspect(BerthDaemon.Image, "{{.Id}}"), daemon.Inspect("compat/mirrored:v1", "{{.Id}}"));
        Assert.Matches(@"\[""compat/mirrored@sha256:[0-9a-f]{64}""\]", daemon.Inspect("compat/mirrored:v1", "{{json .RepoDigests}}"));
    }

    [Fact]
    public void A_registry_on_a_non_loopback_address_is_reached_over_http_only_when_listed_in_insecure_registries()
    {
        // An address of the test's own (on a bridge of its own with no ports, 198.18.0.0/15 being for tests), since loopback is always insecure.
        string link = "b6" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4));
        byte[] octets = System.Security.Cryptography.RandomNumberGenerator.GetBytes(2);
        string address = $"198.18.{octets[0]}.{Math.Max((int)octets[1], 1)}";
        string ip = HostTools.Require("ip", "iproute2");
        ProcessRunner.Run(ip, ["link", "add", link, "type", "bridge"]).EnsureSuccess("ip link add");
        try
        {
            ProcessRunner.Run(ip, ["addr", "add", address + "/32", "dev", link]).EnsureSuccess("ip addr add");
            ProcessRunner.Run(ip, ["link", "set", link, "up"]).EnsureSuccess("ip link set up");
            using var registry = new BerthRegistry("--addr", address + ":0");
            Assert.StartsWith(address + ":", registry.Address);
            string name = $"{registry.Address}/compat/insecure:v1";
            string tar = _pusher.PathOf($"insecure-{Guid.NewGuid():N}.tar");
            try
            {
                _pusher.Cli("save", "-o", tar, BerthDaemon.Image).EnsureSuccess("docker save");
                DistributionRegistry.Skopeo("copy", "--dest-tls-verify=false", $"docker-archive:{tar}", $"docker://{name}").EnsureSuccess("skopeo copy");
            }
            finally
            {
                File.Delete(tar);
            }

            var refused = _puller.Cli(["pull", name], timeout: TimeSpan.FromMinutes(1));
            Assert.NotEqual(0, refused.ExitCode);
            Assert.Contains($"\"https://{registry.Address}/v2/\": http: server gave HTTP response to HTTPS client", refused.Stderr); // https only, as dockerd says
            Assert.NotEqual(0, _puller.Cli("image", "inspect", name).ExitCode);

            using var daemon = new BerthDaemon(["--insecure-registry", "198.18.0.0/15"], importImage: false);
            daemon.Cli(["pull", name], timeout: TimeSpan.FromMinutes(2)).EnsureSuccess("docker pull from an insecure registry");
            Assert.Equal(_pusher.Inspect(BerthDaemon.Image, "{{.Id}}"), daemon.Inspect(name, "{{.Id}}"));
        }
        finally
        {
            ProcessRunner.Run(ip, ["link", "del", link]);
        }
    }

    [Fact]
    public void Docker_run_pulls_an_image_it_does_not_have()
    {
        Push("compat/autorun", "v1").EnsureSuccess("docker push");
        string name = $"{_registry.Host}/compat/autorun:v1";
        var run = _puller.Cli(["run", "--rm", name, "echo", "auto"], timeout: TimeSpan.FromMinutes(2)).EnsureSuccess("docker run of an image to pull");
        Assert.Equal("auto\n", run.Stdout);
        Assert.Contains($"Unable to find image '{name}' locally", run.Stderr);
        Assert.Contains($"Status: Downloaded newer image for {name}", run.Stderr);
        _puller.Cli("rmi", name);
    }

    [Fact]
    public void Search_is_refused_with_a_clear_message()
    {
        var search = _puller.Cli("search", "busybox");
        Assert.NotEqual(0, search.ExitCode);
        Assert.Contains("search is not supported", search.Stderr);
    }
}
