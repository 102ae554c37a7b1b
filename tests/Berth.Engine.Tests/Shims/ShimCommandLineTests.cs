using Berth.Engine.Logs;
using Berth.Engine.Shims;

namespace Berth.Engine.Tests.Shims;

/// <summary>The flags and lines berthd and berth-shim exchange: what one side writes, the other reads back.</summary>
public sealed class ShimCommandLineTests
{
    [Fact]
    public void Flags_read_back_as_the_options_they_were_made_from()
    {
        var options = new ShimOptions("abc", "/b", "/s", "/usr/bin/runc", "/r", Tty: true, OpenStdin: true, StdinOnce: true,
            new LogConfig("json-file", new Dictionary<string, string> { ["max-size"] = "10m", ["max-file"] = "3" }), "/l/x-json.log", "/bin/berth-shim",
            RuntimeArgs: ["--systemd-cgroup"], LogAttributes: new Dictionary<string, string> { ["tag"] = "a=b" });

        var parsed = ShimCommandLine.Parse([.. ShimCommandLine.Format(options)], "/bin/berth-shim");

        Assert.Equal(options with { Log = null, RuntimeArgs = null, LogAttributes = null }, parsed with { Log = null, RuntimeArgs = null, LogAttributes = null });
        Assert.Equal("json-file", parsed.Log!.Type);
        Assert.Equal(options.Log!.Options.OrderBy(o => o.Key), parsed.Log.Options.OrderBy(o => o.Key));
        Assert.Equal(["--systemd-cgroup"], parsed.RuntimeArgs!);
        Assert.Equal("a=b", parsed.LogAttributes!["tag"]);
    }

    [Fact]
    public void No_log_driver_and_none_mean_no_log_flags()
    {
        var options = new ShimOptions("abc", "/b", "/s", "/rt", "/r", false, false, false, new LogConfig("none", new Dictionary<string, string>()), null, "/shim");
        var args = ShimCommandLine.Format(options);
        Assert.DoesNotContain("--log-type", args);
        Assert.Null(ShimCommandLine.Parse(args, "/shim").Log);
    }

    [Fact]
    public void Without_serve_the_shim_refuses_rather_than_run_for_a_caller_that_expects_it_to_return()
    {
        var args = ShimCommandLine.Format(new ShimOptions("abc", "/b", "/s", "/rt", "/r", false, false, false, null, null, "/shim"));
        Assert.Equal(ShimCommandLine.Serve, args[0]);
        var e = Assert.Throws<ShimUsageException>(() => ShimCommandLine.Parse(args[1..], "/shim"));
        Assert.Contains(ShimCommandLine.Serve, e.Message);
    }

    [Theory]
    [InlineData("--id")]
    [InlineData("--bogus")]
    public void Bad_flags_are_usage_errors(string flag)
        => Assert.Throws<ShimUsageException>(() => ShimCommandLine.Parse(["--bundle", "/b", flag], "/shim"));

    [Fact]
    public void The_wait_reply_carries_code_time_and_oom()
    {
        var exit = new ShimExit(137, new DateTimeOffset(2024, 5, 1, 10, 20, 30, TimeSpan.Zero).AddTicks(1234567), true);
        string line = ShimProtocol.FormatExit(exit);
        Assert.Equal("exit 137 2024-05-01T10:20:30.1234567Z 1", line);
        Assert.True(ShimProtocol.TryParseExit(line, out var parsed));
        Assert.Equal(exit, parsed);
        Assert.False(ShimProtocol.TryParseExit("exit x 2024-05-01T10:20:30Z 0", out _));
    }

    [Fact]
    public void Times_are_written_as_go_writes_them_and_nanoseconds_read_back()
    {
        Assert.Equal("2024-05-01T10:20:30Z", Rfc3339.Format(new DateTimeOffset(2024, 5, 1, 10, 20, 30, TimeSpan.Zero)));
        Assert.Equal("2024-05-01T10:20:30.5Z", Rfc3339.Format(new DateTimeOffset(2024, 5, 1, 12, 20, 30, 500, TimeSpan.FromHours(2))));
        Assert.True(Rfc3339.TryParse("2024-05-01T10:20:30.123456789Z", out var time));
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 10, 20, 30, TimeSpan.Zero).AddTicks(1234567), time);
    }

    [Theory]
    [InlineData("abc123", true)]
    [InlineData("a-b_c.d", true)]
    [InlineData(".hidden", false)]
    [InlineData("a/b", false)]
    [InlineData("a b", false)]
    [InlineData("", false)]
    public void Exec_ids_are_file_names(string id, bool valid) => Assert.Equal(valid, ShimProtocol.IsValidExecId(id));
}
