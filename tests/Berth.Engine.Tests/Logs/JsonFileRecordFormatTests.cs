using System.Text;
using Berth.Engine.Logs;
using static Berth.Engine.Tests.Logs.LogDirectory;

namespace Berth.Engine.Tests.Logs;

/// <summary>
/// json-file's records read by the plain scan for the layout the writers use, checked against the general JSON
/// reader: the same fields for every record the scan takes, and the usual records taken by the scan.
/// </summary>
public sealed class JsonFileRecordFormatTests : IDisposable
{
    static readonly DateTimeOffset Start = new(2024, 1, 2, 3, 4, 5, TimeSpan.Zero);

    readonly LogDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    List<byte[]> Written(IReadOnlyDictionary<string, string>? attributes = null)
    {
        string path = _dir.File(attributes is null ? "plain-json.log" : "attrs-json.log");
        using (var writer = LogDrivers.Create(Config("json-file"), path, attributes))
        {
            List<byte[]> lines =
            [
                "plain\n"u8.ToArray(),
                "tab\tquote\" backslash\\ slash/ <html> & é 中 😀\n"u8.ToArray(),
                [0x01, 0x7f, 0x1b, (byte)'[', (byte)'m', (byte)'\r', (byte)'\n'],
                [0xff, 0xfe, (byte)'x', 0xc3, (byte)'\n'],
                [0xed, 0xa0, 0x80, (byte)'\n'],
                Enumerable.Range(0, 256).Select(b => (byte)b).ToArray(),
                [],
                "no newline"u8.ToArray(),
            ];
            int i = 0;
            foreach (var line in lines)
            {
                writer.Write(i % 2 == 0 ? LogSource.Stdout : LogSource.Stderr, line, Start.AddTicks(i * 1234567));
                writer.Complete(LogSource.Stdout, Start.AddSeconds(i));
                writer.Complete(LogSource.Stderr, Start.AddSeconds(i));
                i++;
            }
        }
        var records = new List<byte[]>();
        foreach (string text in File.ReadAllLines(path, Encoding.Latin1))
            records.Add([.. Encoding.Latin1.GetBytes(text), (byte)'\n']);
        return records;
    }

    static readonly string[] HandMade =
    [
        """{"log":"x\n","stream":"stdout","time":"2024-01-02T03:04:05.123456789Z"}""",
        """{"log":"x\n","stream":"stderr","time":"2024-01-02T03:04:05Z"}""",
        """{"log":"x\n","stream":"stdin","time":"2024-01-02T03:04:05Z"}""",
        """{"log":"x\n","stream":"stdout","time":"2024-01-02T03:04:05+02:00"}""",
        """{"log":"x\n","stream":"stdout","time":"not a time"}""",
        """{"log":"x\n","stream":"stdout","time":"2024-01-02T03:04:05\u002eZ"}""",
        """{"log":"x\n","stream":"stdout","time":"2024-01-02T03:04:05Z","extra":1}""",
        """{"log":"x\n","stream":"stdout","attrs":{"a":"b"},"time":"2024-01-02T03:04:05Z"}""",
        """{"stream":"stdout","log":"x\n","time":"2024-01-02T03:04:05Z"}""",
        """{"log": "x\n", "stream": "stdout", "time": "2024-01-02T03:04:05Z"}""",
        """{"log":"x\n","stream":"std\u006fut","time":"2024-01-02T03:04:05Z"}""",
        """{"log":"\ud83d\ude00 \ud800 \udc00x \u00e9\u4E2D\/","stream":"stdout","time":"2024-01-02T03:04:05Z"}""",
        """{"log":"bad \x escape","stream":"stdout","time":"2024-01-02T03:04:05Z"}""",
        """{"log":"short \u12","stream":"stdout","time":"2024-01-02T03:04:05Z"}""",
        """{"log":"not hex \u12zz","stream":"stdout","time":"2024-01-02T03:04:05Z"}""",
        """{"log":"raw	tab","stream":"stdout","time":"2024-01-02T03:04:05Z"}""",
        """{"log":"unterminated,"stream":"stdout","time":"2024-01-02T03:04:05Z"}""",
        """{"log":"x\n","stream":"stdout","time":"2024-01-02T03:04:05Z"} """,
        """{"log":"x\n","stream":"stdout","time":"2024-01-02T03:04:05Z"}""" + "\r",
        """{"log":"x\n","stream":"stdout","time":"2024-01-02T03:04:05Z""",
        """{"log":"x\\","stream":"stdout","time":"2024-01-02T03:04:05Z"}""",
        """{"log":"x\\\"","stream":"stdout","time":"2024-01-02T03:04:05Z"}""",
        """{"log":"","stream":"stdout","time":"2024-01-02T03:04:05Z"}""",
        """{"log":"x","stream":"stdout"}""",
        """{"log":"x","time":"2024-01-02T03:04:05Z"}""",
        """["log","x"]""",
        "",
    ];

    static IEnumerable<byte[]> HandMadeRecords()
    {
        foreach (string text in HandMade)
        {
            byte[] utf8 = Encoding.UTF8.GetBytes(text);
            yield return [.. utf8, (byte)'\n'];
            yield return [.. utf8.Take(9), 0xff, .. utf8.Skip(9), (byte)'\n'];
            yield return [.. utf8.Take(9), 0xc3, 0xa9, .. utf8.Skip(9), (byte)'\n'];
        }
    }

    static void AssertSameAsGeneral(byte[] record)
    {
        bool general = JsonFileRecordFormat.TryParseAny(record, out var expected);
        bool any = JsonFileRecordFormat.Instance.TryParse(record, out var parsed);
        Assert.Equal(general, any);
        Assert.Equal(expected, parsed);
        if (JsonFileRecordFormat.TryParseWritten(record, out var scanned))
        {
            Assert.True(general, Encoding.UTF8.GetString(record));
            Assert.Equal(expected, scanned);
        }
    }

    [Fact]
    public void Every_record_reads_as_the_general_reader_reads_it()
    {
        var records = Written().Concat(Written(new Dictionary<string, string> { ["tag"] = "t" })).Concat(HandMadeRecords()).ToList();
        Assert.True(records.Count > 50);
        foreach (var record in records)
            AssertSameAsGeneral(record);
    }

    [Fact]
    public void Records_as_the_writers_lay_them_out_are_read_by_the_scan()
    {
        var written = Written();
        Assert.True(written.Count >= 7);
        Assert.All(written, record => Assert.True(JsonFileRecordFormat.TryParseWritten(record, out _), Encoding.UTF8.GetString(record)));
        Assert.True(JsonFileRecordFormat.TryParseWritten(Encoding.UTF8.GetBytes(HandMade[0] + "\n"), out var parsed));
        Assert.Equal(LogSource.Stdout, parsed.Source);
        Assert.Equal(Start.AddTicks(1234567), parsed.Time);
        Assert.True(parsed.LineEscaped);
    }
}
