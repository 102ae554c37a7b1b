using System.Text;
using Berth.Engine.Logs;
using static Berth.Engine.Tests.Logs.LogDirectory;

namespace Berth.Engine.Tests.Logs;

/// <summary>Reading back without following: tail across rotated files, since, until, streams; both file drivers.</summary>
public sealed class ReaderTests : IDisposable
{
    static readonly DateTimeOffset Start = new(2024, 1, 2, 3, 4, 5, TimeSpan.Zero);

    readonly LogDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string, bool> Drivers => new()
    {
        { "json-file", false },
        { "json-file", true },
        { "local", false },
        { "local", true },
    };

    // 200 lines, one a second, alternately on stdout (even) and stderr (odd), in files of about 1000 bytes.
    string WriteAlternating(LogConfig config)
    {
        string path = config.Type == "local" ? Path.Combine(_dir.Path, "local-logs", "container.log") : _dir.File("c-json.log");
        using var writer = LogDrivers.Create(config, path);
        for (int i = 0; i < 200; i++)
            writer.Write(i % 2 == 0 ? LogSource.Stdout : LogSource.Stderr, Encoding.ASCII.GetBytes($"line {i}\n"), Start.AddSeconds(i));
        return path;
    }

    static LogConfig Rotating(string driver, bool compress)
        => Config(driver, ("max-size", "1k"), ("max-file", "100"), ("compress", compress ? "true" : "false"));

    static int Number(LogEntry e) => int.Parse(Text(e)["line ".Length..^1]);

    [Theory]
    [MemberData(nameof(Drivers))]
    public void Everything_comes_back_in_order_with_its_source_and_time(string driver, bool compress)
    {
        var config = Rotating(driver, compress);
        string path = WriteAlternating(config);
        Assert.True(Directory.GetFiles(Path.GetDirectoryName(path)!).Length > 5);
        var entries = ReadAll(config, path);
        Assert.Equal(Enumerable.Range(0, 200), entries.Select(Number));
        Assert.All(entries, e => Assert.Equal(Number(e) % 2 == 0 ? LogSource.Stdout : LogSource.Stderr, e.Source));
        Assert.All(entries, e => Assert.Equal(Start.AddSeconds(Number(e)), e.Time));
    }

    [Theory]
    [MemberData(nameof(Drivers))]
    public void Tail_counts_back_across_rotated_files(string driver, bool compress)
    {
        var config = Rotating(driver, compress);
        string path = WriteAlternating(config);
        foreach (int tail in new[] { 0, 1, 7, 60, 199, 200, 1000 })
        {
            var entries = ReadAll(config, path, All with { Tail = tail });
            Assert.Equal(Enumerable.Range(0, 200).TakeLast(tail), entries.Select(Number));
        }
    }

    [Theory]
    [MemberData(nameof(Drivers))]
    public void Since_and_until_bound_the_times_both_inclusive(string driver, bool compress)
    {
        var config = Rotating(driver, compress);
        string path = WriteAlternating(config);
        var since = ReadAll(config, path, All with { Since = Start.AddSeconds(150) });
        Assert.Equal(Enumerable.Range(150, 50), since.Select(Number));
        var until = ReadAll(config, path, All with { Until = Start.AddSeconds(20) });
        Assert.Equal(Enumerable.Range(0, 21), until.Select(Number));
        var both = ReadAll(config, path, All with { Since = Start.AddSeconds(99.5), Until = Start.AddSeconds(110) });
        Assert.Equal(Enumerable.Range(100, 11), both.Select(Number));
        // The tail is taken first, then the times filter it (dockerd's order).
        var tailSince = ReadAll(config, path, All with { Tail = 10, Since = Start.AddSeconds(195) });
        Assert.Equal(Enumerable.Range(195, 5), tailSince.Select(Number));
    }

    [Theory]
    [MemberData(nameof(Drivers))]
    public void Streams_are_filtered_after_the_tail_is_counted(string driver, bool compress)
    {
        var config = Rotating(driver, compress);
        string path = WriteAlternating(config);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => 2 * i), ReadAll(config, path, All with { Stderr = false }).Select(Number));
        Assert.Equal(Enumerable.Range(0, 100).Select(i => 2 * i + 1), ReadAll(config, path, All with { Stdout = false }).Select(Number));
        Assert.Equal([195, 197, 199], ReadAll(config, path, All with { Stdout = false, Tail = 6 }).Select(Number));
    }

    [Fact]
    public void A_log_not_written_yet_reads_as_empty()
    {
        Assert.Empty(ReadAll(Config("json-file"), _dir.File("missing-json.log")));
        Assert.Empty(ReadAll(Config("json-file"), _dir.File("missing-json.log"), All with { Tail = 5 }));
    }

    [Fact]
    public void Lines_keep_their_newline_and_pieces_of_cut_lines_do_not()
    {
        foreach (string driver in new[] { "json-file", "local" })
        {
            string path = _dir.File(driver + ".log");
            using (var writer = LogDrivers.Create(Config(driver, ("compress", "false")), path))
            {
                writer.Write(LogSource.Stdout, Encoding.ASCII.GetBytes("short\n" + new string('x', 16 * 1024) + "y\n\ntail"), Start);
                writer.Complete(LogSource.Stdout, Start);
            }
            var entries = ReadAll(Config(driver, ("compress", "false")), path);
            Assert.Equal(["short\n", new string('x', 16 * 1024), "y\n", "\n", "tail"], Texts(entries));
        }
    }

    [Fact]
    public void A_half_written_last_entry_is_left_out()
    {
        foreach (string driver in new[] { "json-file", "local" })
        {
            var config = Config(driver, ("compress", "false"));
            string path = _dir.File(driver + "-half.log");
            using (var writer = LogDrivers.Create(config, path))
                WriteLines(writer, Start, ["one", "two", "three"]);
            // What a reader can see while the writer's write(2) of the last entry is under way.
            using (var file = new FileStream(path, FileMode.Open))
                file.SetLength(file.Length - 5);
            Assert.Equal(["one\n", "two\n"], Texts(ReadAll(config, path)));
            Assert.Equal(["two\n"], Texts(ReadAll(config, path, All with { Tail = 1 })));
            Assert.Empty(ReadAll(config, path, All with { Tail = 0 }));
        }
    }

    [Fact]
    public void Entries_that_are_not_json_are_passed_over()
    {
        string path = _dir.File("c-json.log");
        File.WriteAllText(path,
            "{\"log\":\"one\\n\",\"stream\":\"stdout\",\"time\":\"2024-01-02T03:04:05.123456789Z\"}\n"
            + "garbage\n"
            + "{\"stream\":\"stderr\",\"attrs\":{\"a\":\"b\"},\"time\":\"2024-01-02T05:04:05+02:00\",\"log\":\"\\u00e9\\ud83d\\ude00\\t\\/\\n\"}\n");
        var entries = ReadAll(Config("json-file"), path);
        Assert.Equal(["one\n", "é😀\t/\n"], Texts(entries));
        Assert.Equal(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(1234567), entries[0].Time);
        Assert.Equal(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero), entries[1].Time);
        Assert.Equal(LogSource.Stderr, entries[1].Source);
    }

    [Fact]
    public void The_none_driver_has_nothing_to_read()
    {
        Assert.False(LogDrivers.CanRead("none"));
        var e = Assert.Throws<LogConfigException>(() => ReadAll(Config("none"), _dir.File("x")));
        Assert.Equal("configured logging driver does not support reading", e.Message);
    }
}
