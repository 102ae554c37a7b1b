using Berth.Engine.Logs;
using static Berth.Engine.Tests.Logs.LogDirectory;

namespace Berth.Engine.Tests.Logs;

/// <summary>Which log configurations are taken, and Docker's words for those that are not.</summary>
public sealed class LogDriversTests
{
    public static TheoryData<string, string[], string> Refused => new()
    {
        { "syslog", [], "logger: no log driver named 'syslog' is registered" },
        { "json-file", ["foo=bar"], "unknown log opt 'foo' for json-file log driver" },
        { "json-file", ["max-size=1k", "zzz=1", "aaa=2"], "unknown log opt 'aaa' for json-file log driver" },
        { "local", ["foo=bar"], "unknown log opt 'foo' for log driver local" },
        { "json-file", ["mode=fast"], "logger: logging mode not supported: fast" },
        { "json-file", ["max-buffer-size=4m"], "logger: max-buffer-size option is only supported with 'mode=non-blocking'" },
        { "json-file", ["mode=non-blocking", "max-buffer-size=lots"], "error parsing option max-buffer-size: invalid size: 'lots'" },
        { "json-file", ["max-size=abc"], "invalid size: 'abc'" },
        { "json-file", ["max-size=-1"], "invalid size: '-1'" },
        { "json-file", ["max-size=0"], "max-size must be a positive number" },
        { "json-file", ["max-size=10x"], "invalid suffix: 'x'" },
        { "json-file", ["max-size=10kbb"], "invalid suffix: 'kbb'" },
        { "json-file", ["max-size=1.2.3"], "strconv.ParseFloat: parsing \"1.2.3\": invalid syntax" },
        { "json-file", ["max-file=0"], "max-file cannot be less than 1" },
        { "json-file", ["max-file=two"], "strconv.Atoi: parsing \"two\": invalid syntax" },
        { "json-file", ["max-file=99999999999999999999"], "strconv.Atoi: parsing \"99999999999999999999\": value out of range" },
        { "json-file", ["compress=yes"], "strconv.ParseBool: parsing \"yes\": invalid syntax" },
        { "json-file", ["compress=true"], "compress cannot be true when max-file is less than 2 or max-size is not set" },
        { "json-file", ["compress=true", "max-size=1m"], "compress cannot be true when max-file is less than 2 or max-size is not set" },
        { "json-file", ["labels-regex=("], "error parsing regexp: " },
        { "local", ["max-file=1"], "compression cannot be enabled when max file count is 1" },
        { "local", ["max-size=abc"], "invalid value for max-size: abc: invalid size: 'abc'" },
        { "local", ["max-file=x"], "invalid value for max-file: x: strconv.Atoi: parsing \"x\": invalid syntax" },
        { "local", ["max-file=-1", "compress=false"], "max-file must not be negative" },
        { "local", ["compress=nope"], "invalid boolean value for compress: strconv.ParseBool: parsing \"nope\": invalid syntax" },
    };

    static LogConfig Parse(string type, string[] options)
        => Config(type, [.. options.Select(o => (o[..o.IndexOf('=')], o[(o.IndexOf('=') + 1)..]))]);

    [Theory]
    [MemberData(nameof(Refused))]
    public void Bad_configurations_are_refused_with_dockers_text(string type, string[] options, string message)
    {
        var e = Assert.Throws<LogConfigException>(() => LogDrivers.Validate(Parse(type, options)));
        Assert.StartsWith(message, e.Message);
        // Creating a writer checks the same, but for the patterns (the daemon's business: the shim has no regex engine).
        if (!message.StartsWith("error parsing regexp", StringComparison.Ordinal))
            Assert.Throws<LogConfigException>(() => LogDrivers.Create(Parse(type, options), Path.Combine(Path.GetTempPath(), "never-created.log")));
    }

    [Theory]
    [InlineData("json-file")]
    [InlineData("json-file", "max-size=10m", "max-file=3", "compress=true", "labels=a,b", "env=X", "tag={{.Name}}")]
    [InlineData("json-file", "mode=non-blocking", "max-buffer-size=4m")]
    [InlineData("json-file", "mode=blocking", "max-file=5")]
    [InlineData("local")]
    [InlineData("local", "max-size=100k", "max-file=2", "compress=false", "labels-regex=^com\\.")]
    [InlineData("local", "max-file=1", "compress=false")]
    [InlineData("none", "anything=at all")]
    public void Good_configurations_are_taken(string type, params string[] options) => LogDrivers.Validate(Parse(type, options));

    [Theory]
    [InlineData("10", 10)]
    [InlineData("10b", 10)]
    [InlineData("1k", 1000)]
    [InlineData("1.5K", 1500)]
    [InlineData("2kb", 2000)]
    [InlineData("2KiB", 2000)]
    [InlineData("10m", 10_000_000)]
    [InlineData("1 g", 1_000_000_000)]
    [InlineData("3t", 3_000_000_000_000)]
    public void Sizes_are_decimal_as_go_units_reads_them(string text, long bytes)
    {
        Assert.Equal(bytes, LogFileSettings.Parse(Config("json-file", ("max-size", text))).MaxSize);
    }

    [Fact]
    public void Defaults_are_dockers()
    {
        Assert.Equal(new LogFileSettings(-1, 1, false), LogFileSettings.Parse(Config("json-file")));
        Assert.Equal(new LogFileSettings(20 * 1024 * 1024, 5, true), LogFileSettings.Parse(Config("local")));
        Assert.Equal("json-file", LogDrivers.DefaultType);
    }

    [Fact]
    public void Log_paths_are_named_as_dockerd_names_them()
    {
        Assert.Equal("/c/abc/abc-json.log", LogDrivers.LogPath(Config("json-file"), "/c/abc", "abc"));
        Assert.Equal("/c/abc/local-logs/container.log", LogDrivers.LogPath(Config("local"), "/c/abc", "abc"));
        Assert.Null(LogDrivers.LogPath(Config("none"), "/c/abc", "abc"));
        Assert.True(LogDrivers.CanRead("json-file"));
        Assert.True(LogDrivers.CanRead("local"));
    }

    [Fact]
    public void The_none_driver_writes_nothing()
    {
        using var dir = new LogDirectory();
        using (var writer = LogDrivers.Create(Config("none"), dir.File("x.log")))
        {
            writer.Write(LogSource.Stdout, "dropped\n"u8, DateTimeOffset.UtcNow);
            writer.Complete(LogSource.Stdout, DateTimeOffset.UtcNow);
        }
        Assert.Empty(dir.Names());
    }

    [Fact]
    public void The_local_driver_makes_its_directory()
    {
        using var dir = new LogDirectory();
        string path = LogDrivers.LogPath(Config("local"), dir.Path, "abc")!;
        using (var writer = LogDrivers.Create(Config("local"), path))
            writer.Write(LogSource.Stdout, "x\n"u8, DateTimeOffset.UtcNow);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(path)!));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(path));
    }
}
