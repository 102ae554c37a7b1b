using System.Text.Json;
using Berth.TestSupport;

namespace Berth.Runtime.Tests;

/// <summary>The command line as runc has it: `spec` output, the --log file and its formats, flag syntax.</summary>
public sealed class CliTests : IDisposable
{
    readonly OciRuntimeCli _runtime = OciRuntimeCli.Berth();
    readonly string _dir = Path.Combine(Path.GetTempPath(), TestIds.New("cli"));

    public CliTests() => Directory.CreateDirectory(_dir);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Spec_writes_the_config_runc_writes(bool rootless)
    {
        string runc = HostTools.Require("runc", "runc");
        string ours = Directory.CreateDirectory(Path.Combine(_dir, "berth")).FullName;
        string theirs = Directory.CreateDirectory(Path.Combine(_dir, "runc")).FullName;
        string[] extra = rootless ? ["--rootless"] : [];
        _runtime.Invoke(["spec", "--bundle", ours, .. extra]).EnsureSuccess("berth-runtime spec");
        ProcessRunner.Run(runc, ["spec", "--bundle", theirs, .. extra]).EnsureSuccess("runc spec");
        Assert.Equal(File.ReadAllText(Path.Combine(theirs, "config.json")), File.ReadAllText(Path.Combine(ours, "config.json")));

        var again = _runtime.Invoke(["spec", "--bundle", ours]);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("File config.json exists. Remove it first.", again.Errors);
    }

    [Fact]
    public void Errors_go_to_the_log_file_as_json_lines_and_to_stderr()
    {
        string log = Path.Combine(_dir, "log.json");
        var result = _runtime.Invoke("--log", log, "--log-format", "json", "state", "berth-test-missing");
        Assert.Equal(1, result.ExitCode);
        var entry = JsonDocument.Parse(File.ReadAllLines(log).Last()).RootElement;
        Assert.Equal("error", entry.GetProperty("level").GetString());
        Assert.Equal("container \"berth-test-missing\" does not exist", entry.GetProperty("msg").GetString());
        Assert.True(DateTimeOffset.TryParse(entry.GetProperty("time").GetString(), out _));
        // With a log file, the plain message also reaches stderr (runc does the same).
        Assert.Equal("container \"berth-test-missing\" does not exist\n", result.Stderr);
    }

    [Fact]
    public void Text_log_format_is_logrus_like()
    {
        var result = _runtime.Invoke("state", "berth-test-missing");
        Assert.Matches("^time=\"[0-9T:Z-]+\" level=error msg=\"container \\\\\"berth-test-missing\\\\\" does not exist\"\n$", result.Stderr);
    }

    [Fact]
    public void Flags_take_one_or_two_dashes_and_equals_signs_like_go()
    {
        Assert.Equal(0, _runtime.Invoke("-root=" + _dir, "list").ExitCode);
        Assert.Equal(0, _runtime.Invoke("--root", _dir, "list", "-f", "json").ExitCode);
        var unknown = _runtime.Invoke("list", "--bogus");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("flag provided but not defined: -bogus", unknown.Errors);
    }

    public void Dispose()
    {
        _runtime.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
