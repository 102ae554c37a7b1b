using Berth.TestSupport;

namespace Berth.Cli.Tests.EndToEnd;

/// <summary>
/// Credential helpers (credsStore, credHelpers) with the docker CLI (v28) as the oracle: each CLI gets a world of its
/// own (<see cref="CredentialHelperSandbox"/>: the same config.json, the same shell-script helpers on PATH) and both
/// talk to the same dockerd and registry. After every command line the two must agree on exit status, output and
/// errors, on config.json, on what the helper keeps and on the calls it got.
/// </summary>
[Collection(DockerdCollection.Name)]
public sealed class CredentialHelperTests(DockerDaemon docker) : IDisposable
{
    const string Docker = "/usr/local/bin/docker";

    readonly List<IDisposable> _owned = [];
    CredentialHelperSandbox _docker = null!;
    CredentialHelperSandbox _berth = null!;

    public void Dispose()
    {
        foreach (var owned in Enumerable.Reverse(_owned))
            owned.Dispose();
    }

    T Own<T>(T disposable) where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    /// <summary>Both worlds, with the same config.json (docker's layout: tabs, its key order).</summary>
    void Worlds(string configJson)
    {
        _docker = Own(new CredentialHelperSandbox(Docker, "DOCKER_CONFIG", configJson));
        _berth = Own(new CredentialHelperSandbox(BerthCli.Path, "BERTH_CONFIG", configJson));
    }

    /// <summary>The command line with both CLIs, each in its world; everything each left behind must be the same.</summary>
    CommandResult Same(string[] args, string? stdin = null)
    {
        var expected = _docker.Run(docker.Socket, args, stdin);
        var actual = _berth.Run(docker.Socket, args, stdin);
        string what = string.Join(' ', args);
        Assert.True(expected.ExitCode == actual.ExitCode,
            $"{what}: docker exited {expected.ExitCode}, berth {actual.ExitCode}\ndocker: {expected.Stdout}{expected.Stderr}\nberth: {actual.Stdout}{actual.Stderr}");
        Assert.Equal(Normalize(expected.Stdout, _docker), Normalize(actual.Stdout, _berth));
        Assert.Equal(Normalize(expected.Stderr, _docker), Normalize(actual.Stderr, _berth));
        Assert.Equal(_docker.ConfigText, _berth.ConfigText);
        Assert.Equal(_docker.StoreText, _berth.StoreText);
        Assert.Equal(_docker.Calls, _berth.Calls);
        return actual;
    }

    /// <summary>A world's own paths made alike, and docker's advice to run docker in berth's words.</summary>
    static string Normalize(string text, CredentialHelperSandbox world) =>
        text.Replace(world.Root, "WORLD").Replace("run 'docker logout' followed by 'docker login'", "run 'berth logout' followed by 'berth login'");

    static string Config(string settings) => "{\n\t\"auths\": {},\n" + settings + "\n}";

    /// <summary>
    /// An image in the registry at <paramref name="host"/>, pushed by docker from a world of its own (the two compared
    /// keep their helpers' call logs to themselves), and no longer tagged locally.
    /// </summary>
    string Pushed(string host, string repository)
    {
        var setup = Own(new CredentialHelperSandbox(Docker, "DOCKER_CONFIG", "{}"));
        setup.Run(docker.Socket, ["login", "-u", "berth", "--password-stdin", host], "s3cret\n").EnsureSuccess("docker login");
        string name = $"{host}/{repository}:v1";
        docker.Cli("tag", DockerDaemon.Image, name).EnsureSuccess("docker tag");
        setup.Run(docker.Socket, ["push", name]).EnsureSuccess("docker push");
        docker.Cli("rmi", name).EnsureSuccess("docker rmi");
        return name;
    }

    [Fact]
    public void Login_pull_push_and_logout_through_credsStore_keep_the_secret_in_the_helper()
    {
        var registry = Own(new DistributionRegistry("berth", "s3cret"));
        string host = registry.Host;
        Worlds(Config($"\t\"credsStore\": \"{CredentialHelperSandbox.Store}\""));

        Same(["login", "-u", "berth", "--password-stdin", host], "nope\n");
        Assert.Equal("", _berth.StoreText);
        var login = Same(["login", "-u", "berth", "--password-stdin", host], "s3cret\n");
        Assert.Equal("Login Succeeded\n", login.Stdout);
        Assert.Equal("", login.Stderr);
        Assert.Equal($"{{\n\t\"auths\": {{\n\t\t\"{host}\": {{}}\n\t}},\n\t\"credsStore\": \"{CredentialHelperSandbox.Store}\"\n}}", _berth.ConfigText);
        Assert.Equal($"{{\"ServerURL\":\"{host}\",\"Username\":\"berth\",\"Secret\":\"s3cret\"}}\n", _berth.StoreText);
        var again = Same(["login", host]);
        Assert.StartsWith("Authenticating with existing credentials... [Username: berth]", again.Stderr);

        string name = Pushed(host, "helper/busybox");
        Assert.Equal(name + "\n", Same(["pull", "-q", name]).Stdout);
        docker.Cli("tag", DockerDaemon.Image, $"{host}/helper/busybox:v2").EnsureSuccess("docker tag");
        Assert.Equal($"{host}/helper/busybox:v2\n", Same(["push", "-q", $"{host}/helper/busybox:v2"]).Stdout);

        Assert.Equal($"Removing login credentials for {host}\n", Same(["logout", host]).Stdout);
        Assert.Equal("", _berth.StoreText);
        Same(["logout", host]);
        Assert.NotEqual(0, Same(["pull", "-q", name]).ExitCode);
        docker.Cli("rmi", name, $"{host}/helper/busybox:v2");
    }

    [Fact]
    public void A_registrys_credHelpers_entry_wins_over_credsStore()
    {
        var registry = Own(new DistributionRegistry("berth", "s3cret"));
        string host = registry.Host;
        Worlds(Config($"\t\"credsStore\": \"{CredentialHelperSandbox.Failing}\",\n\t\"credHelpers\": {{\n\t\t\"{host}\": \"{CredentialHelperSandbox.Store}\"\n\t}}"));

        Same(["login", "-u", "berth", "--password-stdin", host], "s3cret\n");
        Assert.Contains("\"Secret\":\"s3cret\"", _berth.StoreText);
        string name = Pushed(host, "helpers/busybox");
        Same(["pull", "-q", name]);
        // The registry's own helper for its host; the older keys (http://, https://) go to credsStore, which fails.
        var logout = Same(["logout", host]);
        Assert.Contains("the failing helper was asked to erase", logout.Stderr);
        Assert.Equal("", _berth.StoreText);
        docker.Cli("rmi", name);
    }

    [Fact]
    public void A_missing_helper_or_a_failing_one_gives_dockers_errors()
    {
        var registry = Own(new DistributionRegistry("berth", "s3cret"));
        string host = registry.Host;
        Worlds(Config("\t\"credsStore\": \"berth-test-missing\""));

        var missing = Same(["login", "-u", "berth", "--password-stdin", host], "s3cret\n");
        Assert.Equal("Error saving credentials: error storing credentials - err: exec: \"docker-credential-berth-test-missing\": "
            + "executable file not found in $PATH, out: ``\n", missing.Stderr);
        Same(["login", host]);
        Same(["logout", host]);

        foreach (var world in new[] { _docker, _berth })
            File.WriteAllText(world.ConfigPath, Config($"\t\"credsStore\": \"{CredentialHelperSandbox.Failing}\""));
        // A pull goes on without credentials; the helper's own words reach stderr.
        var pull = Same(["pull", "-q", $"{host}/failing/busybox:v1"]);
        Assert.StartsWith("the failing helper was asked to get\n", pull.Stderr);
        var stored = Same(["login", host]);
        Assert.EndsWith("Error: Cannot perform an interactive login from a non TTY device\n", stored.Stderr);
        var store = Same(["login", "-u", "berth", "--password-stdin", host], "s3cret\n");
        Assert.EndsWith("Error saving credentials: error storing credentials - err: exit status 3, out: `helper out of order`\n", store.Stderr);

        // Every erase failing: docker lists them from a map, in no set order.
        var expected = _docker.Run(docker.Socket, ["logout", $"http://{host}/"]);
        var actual = _berth.Run(docker.Socket, ["logout", $"http://{host}/"]);
        Assert.Equal(expected.Stdout, actual.Stdout);
        Assert.Equal(expected.Stderr.Split('\n').Order(), actual.Stderr.Split('\n').Order());
        Assert.Contains($"https://{host}: error erasing credentials - err: exit status 3, out: `helper out of order`", actual.Stderr);
    }

    [Fact]
    public void An_identity_token_is_kept_in_place_of_the_password_and_sent_with_pulls()
    {
        var issuer = Own(new RegistryTokenIssuer(new() { ["berth"] = ("s3cret", ["pull", "push"]) }));
        var registry = Own(new DistributionRegistry(tokens: issuer));
        string host = registry.Host;
        Worlds(Config($"\t\"credsStore\": \"{CredentialHelperSandbox.Store}\""));

        Same(["login", "-u", "berth", "--password-stdin", host], "s3cret\n");
        string token = RegistryTokenIssuer.RefreshTokenOf("berth");
        Assert.Equal($"{{\"ServerURL\":\"{host}\",\"Username\":\"\\u003ctoken\\u003e\",\"Secret\":\"{token}\"}}\n", _berth.StoreText);
        string name = Pushed(host, "token/busybox");
        Assert.Equal(name + "\n", Same(["pull", "-q", name]).Stdout);
        docker.Cli("rmi", name);

        // Without a helper, config.json keeps the token beside the user name, and no password.
        foreach (var world in new[] { _docker, _berth })
            File.WriteAllText(world.ConfigPath, "{}");
        Same(["login", "-u", "berth", "--password-stdin", host], "s3cret\n");
        Assert.Contains($"\"identitytoken\": \"{token}\"", _berth.ConfigText);
        Assert.Contains($"\"auth\": \"{Convert.ToBase64String("berth:"u8)}\"", _berth.ConfigText);
        Assert.Equal(name + "\n", Same(["pull", "-q", name]).Stdout);
        docker.Cli("rmi", name);
    }

    [Fact]
    public void A_build_gets_every_registrys_credentials_for_its_FROM_images()
    {
        var registry = Own(new DistributionRegistry("berth", "s3cret"));
        string host = registry.Host;
        Worlds(Config($"\t\"credsStore\": \"{CredentialHelperSandbox.Store}\""));
        Same(["login", "-u", "berth", "--password-stdin", host], "s3cret\n");
        string name = Pushed(host, "base/busybox");
        string context = Directory.CreateTempSubdirectory("berth-test-credentials-build-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(context, "Dockerfile"), $"FROM {name}\nLABEL built-from=private\n");
            foreach (var world in new[] { _docker, _berth })
            {
                var built = world.Run(docker.Socket, ["build", "-q", context]);
                Assert.True(built.ExitCode == 0, $"{world.Root}: {built.Stdout}{built.Stderr}");
                docker.Cli("rmi", built.Stdout.Trim(), name).EnsureSuccess("docker rmi");
            }
            Assert.Equal(_docker.Calls, _berth.Calls);
        }
        finally
        {
            Directory.Delete(context, recursive: true);
        }
    }
}
