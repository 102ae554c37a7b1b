using System.Text.Json.Nodes;
using Berth.Cli.Client;
using Berth.Cli.CommandLine;
using Berth.Cli.Options;
using Berth.Engine.Model;

namespace Berth.Cli.Tests.Options;

/// <summary>
/// "berth create" sends the create body docker 28 sends for the same flags (golden bodies captured from the real
/// docker CLI, Golden/README.md).
/// </summary>
public class ContainerOptionsTests
{
    static JsonNode Body(params string[] args)
    {
        var flags = new FlagSet { Interspersed = false, Environment = new Dictionary<string, string?>() };
        var options = new ContainerOptions(flags, flags.Environment, forCreate: true);
        var positional = flags.Parse(args);
        var request = options.ToRequest(positional[0], positional.Skip(1).ToList());
        var body = DaemonClientTyped.Json(request, DockerJson.Default.ContainerCreateRequest);
        return JsonNode.Parse(body.Bytes!)!;
    }

    static void AssertSameAsDocker(string golden, JsonNode actual)
    {
        var expected = JsonNode.Parse(TestCli.Golden($"create/{golden}.json"))!;
        if (!JsonNode.DeepEquals(expected, actual))
            Assert.Fail($"create body differs from docker's:\nexpected {expected.ToJsonString()}\nactual   {actual.ToJsonString()}");
    }

    [Fact]
    public void Defaults() => AssertSameAsDocker("defaults", Body("busybox"));

    [Fact]
    public void Resources_volumes_health() => AssertSameAsDocker("resources", Body(
        "--network", "none", "-e", "A=1", "-l", "x=y", "--memory", "64m", "--cpus", "1.5", "--ulimit", "nofile=100:200",
        "--tmpfs", "/run:size=1m", "--sysctl", "net.ipv4.ip_forward=1", "-v", "/tmp:/hosttmp", "-v", "/anon",
        "--restart", "on-failure:3", "--init", "--pids-limit", "50", "--cap-add", "NET_ADMIN", "--health-cmd", "true",
        "--health-interval", "5s", "busybox", "sh", "-c", "echo hi"));

    [Fact]
    public void Security_and_process() => AssertSameAsDocker("security", Body(
        "-it", "--rm", "-w", "/tmp", "-u", "1000:1000", "-h", "myhost", "--domainname", "example.com", "--entrypoint", "/bin/sh",
        "--stop-signal", "SIGUSR1", "--stop-timeout", "7", "--read-only", "--privileged", "--security-opt", "no-new-privileges",
        "--dns", "1.1.1.1", "--dns-search", "example.com", "--dns-option", "ndots:2", "--add-host", "db:10.0.0.2",
        "--cap-drop", "ALL", "--cap-add", "chown", "--oom-score-adj", "500", "--shm-size", "128m", "--log-driver", "json-file",
        "--log-opt", "max-size=1m", "--cpu-shares", "512", "--memory-swap", "-1", "--memory", "1g", "--network", "host",
        "busybox", "-c", "echo x"));

    [Fact]
    public void Ports_mounts_devices() => AssertSameAsDocker("ports", Body(
        "-p", "8080:80", "--expose", "9000-9001/udp", "-P", "--restart", "always", "-a", "stdout", "--init=false", "--no-healthcheck",
        "-e", "BAR=1", "--mount", "type=tmpfs,target=/data,tmpfs-size=1m", "--device", "/dev/null:/dev/xnull:rw",
        "--blkio-weight", "300", "--cpuset-cpus", "0", "--pids-limit", "-1", "--network", "none", "busybox", "true"));

    [Fact]
    public void Empty_entrypoint_resets_it()
    {
        Assert.Equal("[\"\"]", Body("--entrypoint", "", "busybox")["Entrypoint"]!.ToJsonString());
    }

    [Fact]
    public void Env_files_come_before_env_flags_and_bare_names_take_the_clients_value()
    {
        string file = Path.Combine(Path.GetTempPath(), $"berth-cli-test-env-{Guid.NewGuid():N}");
        try
        {
            File.WriteAllText(file, "# comment\n\nA=1\n  B=two words\nHOME_OF_TEST\n");
            var flags = new FlagSet { Interspersed = false, Environment = new Dictionary<string, string?> { ["HOME_OF_TEST"] = "/h", ["C"] = "c" } };
            var options = new ContainerOptions(flags, flags.Environment);
            var args = flags.Parse(["--env-file", file, "-e", "C", "-e", "D", "busybox"]);
            var request = options.ToRequest(args[0], []);
            Assert.Equal(["A=1", "B=two words", "HOME_OF_TEST=/h", "C=c", "D"], request.Env);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData(new[] { "--restart", "always:3" }, "invalid restart policy format: maximum retry count can only be used with 'on-failure'")]
    [InlineData(new[] { "--restart", "sometimes" }, "invalid restart policy 'sometimes'")]
    [InlineData(new[] { "--no-healthcheck", "--health-cmd", "x" }, "--no-healthcheck conflicts with --health-* options")]
    [InlineData(new[] { "--no-healthcheck", "--health-interval", "-1s" }, "--no-healthcheck conflicts with --health-* options")]
    [InlineData(new[] { "--health-interval", "-1s" }, "--health-interval cannot be negative")]
    [InlineData(new[] { "--health-timeout", "-1s" }, "--health-timeout cannot be negative")]
    [InlineData(new[] { "--health-retries", "-1" }, "--health-retries cannot be negative")]
    [InlineData(new[] { "--health-start-period", "-1s" }, "--health-start-period cannot be negative")]
    [InlineData(new[] { "--health-start-interval", "-1s" }, "--health-start-interval cannot be negative")]
    [InlineData(new[] { "--security-opt", "seccomp" }, "Invalid --security-opt: \"seccomp\"")]
    [InlineData(new[] { "-v", "relative" }, "invalid volume specification: 'relative': invalid mount config for type \"volume\": invalid mount path: 'relative' mount path must be absolute")]
    public void Options_that_do_not_fit_are_refused(string[] args, string message)
    {
        var flags = new FlagSet { Interspersed = false, Environment = new Dictionary<string, string?>() };
        var options = new ContainerOptions(flags, flags.Environment);
        var positional = flags.Parse([.. args, "busybox"]);
        var e = Assert.Throws<CliException>(() => options.ToRequest(positional[0], []));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Health_flags_given_as_zero_count_as_not_given_as_in_docker()
    {
        Assert.Equal("""{"Test":["NONE"]}""", Body("--no-healthcheck", "--health-interval", "0s", "--health-retries", "0", "busybox")["Healthcheck"]!.ToJsonString());
        Assert.Null(Body("--health-timeout", "0s", "busybox")["Healthcheck"]);
    }

    [Theory]
    [InlineData("--ulimit", "nofile", "invalid argument \"nofile\" for \"--ulimit\" flag: invalid ulimit argument: nofile")]
    [InlineData("--ulimit", "bogus=1", "invalid argument \"bogus=1\" for \"--ulimit\" flag: invalid ulimit type: bogus")]
    [InlineData("--cpus", "x", "invalid argument \"x\" for \"--cpus\" flag: failed to parse x as a rational number")]
    [InlineData("--cpus", "0.0000000001", "invalid argument \"0.0000000001\" for \"--cpus\" flag: value is too precise")]
    [InlineData("-a", "stdfoo", "invalid argument \"stdfoo\" for \"-a, --attach\" flag: valid streams are STDIN, STDOUT and STDERR")]
    [InlineData("--add-host", "nohost", "invalid argument \"nohost\" for \"--add-host\" flag: bad format for add-host: \"nohost\"")]
    [InlineData("--health-interval", "abc", "invalid argument \"abc\" for \"--health-interval\" flag: time: invalid duration \"abc\"")]
    public void Flag_values_are_checked_while_parsing(string flag, string value, string message)
    {
        var flags = new FlagSet { Interspersed = false, Environment = new Dictionary<string, string?>() };
        _ = new ContainerOptions(flags, flags.Environment);
        var e = Assert.Throws<FlagParseException>(() => flags.Parse([flag, value, "busybox"]));
        Assert.Equal(message, e.Message);
    }
}
