using System.Text.Json;
using Berth.TestSupport;

namespace Berth.Cli.Tests.EndToEnd;

/// <summary>
/// berth login, push, pull and logout through berthd against Debian's docker-registry with basic auth on
/// 127.0.0.1; the credentials in a config directory of the test's own (BERTH_CONFIG), removed afterwards.
/// </summary>
[Collection(BerthdCollection.Name)]
public sealed class RegistryCommandTests(BerthdFixture fixture) : IDisposable
{
    readonly BerthDaemon _berthd = fixture.Daemon;
    readonly DistributionRegistry _registry = new("berth", "s3cret");
    readonly string _config = Directory.CreateTempSubdirectory("berth-test-cli-config-").FullName;

    public void Dispose()
    {
        try
        {
            _registry.Dispose();
        }
        finally
        {
            Directory.Delete(_config, recursive: true);
        }
    }

    CommandResult Berth(string[] args, string? stdin = null) =>
        ProcessRunner.Run(BerthCli.Path, ["--host", "unix://" + _berthd.Socket, .. args], stdin: stdin, timeout: TimeSpan.FromMinutes(2),
            environment: new Dictionary<string, string> { ["BERTH_CONFIG"] = _config });

    [Fact]
    public void Login_push_pull_and_logout_keep_the_credentials_in_the_config_file()
    {
        string host = _registry.Host;
        string name = $"{host}/cli/busybox:v1";

        var wrong = Berth(["login", "-u", "berth", "--password-stdin", host], "nope\n");
        Assert.NotEqual(0, wrong.ExitCode);
        Assert.Contains("401 Unauthorized", wrong.Stderr);
        Assert.False(File.Exists(Path.Combine(_config, "config.json")));

        var login = Berth(["login", "-u", "berth", "--password-stdin", host], "s3cret\n");
        Assert.True(login.ExitCode == 0, login.Stderr);
        Assert.Equal("Login Succeeded\n", login.Stdout);
        var auths = JsonDocument.Parse(File.ReadAllText(Path.Combine(_config, "config.json"))).RootElement.GetProperty("auths");
        Assert.Equal(Convert.ToBase64String("berth:s3cret"u8), auths.GetProperty(host).GetProperty("auth").GetString());

        Berth(["tag", BerthDaemon.Image, name]).EnsureSuccess("berth tag");
        var push = Berth(["push", name]).EnsureSuccess("berth push");
        Assert.Contains($"The push refers to repository [{host}/cli/busybox]", push.Stdout);
        Assert.Matches(@"v1: digest: sha256:[0-9a-f]{64} size: \d+", push.Stdout);
        Assert.Equal(name + "\n", Berth(["push", "-q", name]).EnsureSuccess("berth push -q").Stdout);

        var pull = Berth(["pull", name]).EnsureSuccess("berth pull");
        Assert.Contains("v1: Pulling from cli/busybox", pull.Stdout);
        Assert.EndsWith($"\n{name}\n", pull.Stdout);
        Assert.Equal(name + "\n", Berth(["pull", "-q", name]).EnsureSuccess("berth pull -q").Stdout);

        Assert.Equal($"Removing login credentials for {host}\n", Berth(["logout", host]).EnsureSuccess("berth logout").Stdout);
        // docker 28 says so whether or not there was anything to remove.
        Assert.Equal($"Removing login credentials for {host}\n", Berth(["logout", host]).EnsureSuccess("second berth logout").Stdout);
        var anonymous = Berth(["pull", $"{host}/cli/busybox:v1"]);
        Assert.NotEqual(0, anonymous.ExitCode);
        Assert.Contains("pull access denied", anonymous.Stderr);
        Berth(["rmi", name]);
    }

    [Fact]
    public void Search_is_refused_with_a_clear_message()
    {
        var search = Berth(["search", "busybox"]);
        Assert.Equal(1, search.ExitCode);
        Assert.Contains("search is not supported by Berth", search.Stderr);
    }
}
