using System.Text;
using Berth.Engine.Logs;
using static Berth.Engine.Tests.Logs.LogDirectory;

namespace Berth.Engine.Tests.Logs;

/// <summary>The json-file writer's bytes, as dockerd's jsonlog writes them (the Docker comparison is in DockerLogFileTests).</summary>
public sealed class JsonFileWriterTests : IDisposable
{
    static readonly DateTimeOffset Time = new(2024, 1, 2, 3, 4, 5, TimeSpan.Zero);

    readonly LogDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    string[] WrittenLines(Action<IContainerLogWriter> write, LogConfig? config = null)
    {
        string path = _dir.File("c-json.log");
        using (var writer = LogDrivers.Create(config ?? Config("json-file"), path))
            write(writer);
        string text = File.ReadAllText(path);
        Assert.EndsWith("\n", text);
        return text[..^1].Split('\n');
    }

    [Fact]
    public void Escapes_are_those_of_dockers_jsonlog()
    {
        byte[] line = [.. "a<b>&\"q\"\\ \t\r\u0001\u001b[0m\u007f é 😀 \u2028\u2029 "u8, 0xFF, (byte)'x', 0xE2, 0x82, (byte)'y', 0xED, 0xA0, 0x80, 0xC0, 0xAF, (byte)'\n'];
        var lines = WrittenLines(w => w.Write(LogSource.Stdout, line, Time.AddTicks(1234567)));
        Assert.Equal(
            "{\"log\":\"a\\u003cb\\u003e\\u0026\\\"q\\\"\\\\ \\u0009\\r\\u0001\\u001b[0m\u007f é 😀 \\u2028\\u2029 "
            + "\\ufffdx\\ufffd\\ufffdy\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\\n\",\"stream\":\"stdout\",\"time\":\"2024-01-02T03:04:05.1234567Z\"}",
            Assert.Single(lines));
    }

    [Fact]
    public void Times_are_utc_rfc3339_nano_without_trailing_zeros()
    {
        var lines = WrittenLines(w =>
        {
            w.Write(LogSource.Stdout, "a\n"u8, Time);
            w.Write(LogSource.Stderr, "b\n"u8, Time.AddMilliseconds(500));
            w.Write(LogSource.Stdout, "c\n"u8, new DateTimeOffset(2024, 1, 2, 5, 4, 5, TimeSpan.FromHours(2)).AddTicks(10));
        });
        Assert.Equal(
        [
            "{\"log\":\"a\\n\",\"stream\":\"stdout\",\"time\":\"2024-01-02T03:04:05Z\"}",
            "{\"log\":\"b\\n\",\"stream\":\"stderr\",\"time\":\"2024-01-02T03:04:05.5Z\"}",
            "{\"log\":\"c\\n\",\"stream\":\"stdout\",\"time\":\"2024-01-02T03:04:05.000001Z\"}",
        ], lines);
    }

    [Fact]
    public void Lines_are_cut_at_newlines_whatever_the_chunks()
    {
        var lines = WrittenLines(w =>
        {
            w.Write(LogSource.Stdout, "he"u8, Time);
            w.Write(LogSource.Stdout, "llo\nwor"u8, Time.AddSeconds(1));
            w.Write(LogSource.Stderr, "e1\n\n"u8, Time.AddSeconds(2));
            w.Write(LogSource.Stdout, "ld\n"u8, Time.AddSeconds(3));
            w.Write(LogSource.Stdout, "tail"u8, Time.AddSeconds(4));
            w.Complete(LogSource.Stdout, Time.AddSeconds(5));
        });
        Assert.Equal(
        [
            "{\"log\":\"hello\\n\",\"stream\":\"stdout\",\"time\":\"2024-01-02T03:04:06Z\"}",
            "{\"log\":\"e1\\n\",\"stream\":\"stderr\",\"time\":\"2024-01-02T03:04:07Z\"}",
            "{\"log\":\"\\n\",\"stream\":\"stderr\",\"time\":\"2024-01-02T03:04:07Z\"}",
            "{\"log\":\"world\\n\",\"stream\":\"stdout\",\"time\":\"2024-01-02T03:04:08Z\"}",
            "{\"log\":\"tail\",\"stream\":\"stdout\",\"time\":\"2024-01-02T03:04:10Z\"}",
        ], lines);
    }

    [Fact]
    public void Long_lines_become_16_KiB_pieces_with_the_time_of_the_first()
    {
        string a = new('a', 16 * 1024), b = new('b', 100), c = new('c', 16 * 1024 - 1), d = new('d', 20 * 1024);
        var lines = WrittenLines(w =>
        {
            w.Write(LogSource.Stdout, Encoding.ASCII.GetBytes(a[..1000]), Time);
            w.Write(LogSource.Stdout, Encoding.ASCII.GetBytes(a[1000..] + b), Time.AddSeconds(1));
            w.Write(LogSource.Stdout, Encoding.ASCII.GetBytes("\n" + a + "\n" + c + "\n"), Time.AddSeconds(2));
            w.Write(LogSource.Stdout, Encoding.ASCII.GetBytes(d), Time.AddSeconds(3));
            w.Complete(LogSource.Stdout, Time.AddSeconds(4));
        });
        string Entry(string log, int second) => $"{{\"log\":\"{log}\",\"stream\":\"stdout\",\"time\":\"2024-01-02T03:04:{second:00}Z\"}}";
        Assert.Equal(
        [
            Entry(a, 6), // the buffer filled with the second chunk
            Entry(b + "\\n", 6),
            Entry(a, 7),
            Entry("\\n", 7),
            Entry(c + "\\n", 7),
            Entry(d[..(16 * 1024)], 8),
            Entry(d[(16 * 1024)..], 8),
        ], lines);
    }

    [Fact]
    public void Attributes_are_written_as_attrs_between_stream_and_time()
    {
        var attributes = LogAttributes.Extract(
            new Dictionary<string, string> { ["labels"] = "b,missing", ["env-regex"] = "^X" },
            new Dictionary<string, string> { ["b"] = "<2>", ["a"] = "not asked for" },
            ["XA=1\t2", "Y=3", "XB"]);
        string path = _dir.File("c-json.log");
        using (var writer = LogDrivers.Create(Config("json-file", ("labels", "b")), path, attributes))
            writer.Write(LogSource.Stdout, "x\n"u8, Time);
        Assert.Equal(
            "{\"log\":\"x\\n\",\"stream\":\"stdout\",\"attrs\":{\"XA\":\"1\\t2\",\"b\":\"\\u003c2\\u003e\"},\"time\":\"2024-01-02T03:04:05Z\"}\n",
            File.ReadAllText(path));
    }

    [Fact]
    public void A_writer_appends_to_an_existing_log()
    {
        WrittenLines(w => w.Write(LogSource.Stdout, "one\n"u8, Time));
        var lines = WrittenLines(w => w.Write(LogSource.Stdout, "two\n"u8, Time));
        Assert.Equal(2, lines.Length);
        Assert.Equal(["one\n", "two\n"], Texts(ReadAll(Config("json-file"), _dir.File("c-json.log"))));
    }

    [Fact]
    public void Writing_allocates_nothing_once_warm()
    {
        string path = _dir.File("c-json.log");
        using var writer = LogDrivers.Create(Config("json-file"), path);
        byte[] chunk = Encoding.UTF8.GetBytes("a line of output with <html> & \"quotes\"\tand é\nand a second one\npartial " + new string('x', 20000));
        for (int i = 0; i < 10; i++)
            writer.Write(LogSource.Stdout, chunk, Time);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
            writer.Write(i % 2 == 0 ? LogSource.Stdout : LogSource.Stderr, chunk, Time.AddTicks(i));
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Entries_that_cannot_be_written_are_reported_and_the_writer_carries_on()
    {
        // /dev/full fails every write with ENOSPC.
        using var writer = LogDrivers.Create(Config("json-file"), "/dev/full");
        var e = Assert.Throws<LogWriteException>(() => writer.Write(LogSource.Stdout, "one\ntwo\nthr"u8, Time));
        Assert.Equal(2, e.DroppedEntries);
        Assert.Equal("/dev/full", e.Path);
        Assert.Contains("space", e.Message);
        e = Assert.Throws<LogWriteException>(() => writer.Write(LogSource.Stdout, "ee\n"u8, Time));
        Assert.Equal(1, e.DroppedEntries);
        writer.Write(LogSource.Stdout, "no line ends here"u8, Time);
    }
}
