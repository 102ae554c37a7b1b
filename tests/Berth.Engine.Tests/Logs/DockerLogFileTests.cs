using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Berth.Engine.Logs;
using Berth.TestSupport;
using static Berth.Engine.Tests.Logs.LogDirectory;

namespace Berth.Engine.Tests.Logs;

/// <summary>
/// A real dockerd (20.10) as the oracle: a container prints tricky output (HTML characters, controls, Unicode,
/// invalid UTF-8, lines of 16 KiB and more, unterminated tails) and Docker's log files are compared with what
/// Berth's writer makes of the same bytes, and read back by Berth's reader as docker logs shows them.
/// </summary>
public sealed partial class DockerLogFileTests(DockerDaemon docker) : IClassFixture<DockerDaemon>
{
    static readonly byte[] Stdout =
    [
        .. "plain ascii\n"u8,
        .. "<tag> & \"quoted\" \\backslash/ 'single'\n"u8,
        .. "tab\there, carriage return\r\n"u8,
        .. "controls \u0001\u0002\u001b[31mred\u001b[0m \u007f \b \f \v\n"u8,
        .. "unicode é ü 中文 😀 \u2028 \u2029 \ufffd\n"u8,
        .. "invalid "u8, 0xFF, 0xFE, (byte)' ', 0xC3, (byte)' ', 0xE2, 0x82, (byte)' ', 0xED, 0xA0, 0x80, (byte)' ', 0xF4, 0x90, 0x80, 0x80, (byte)' ', 0xC0, 0xAF, (byte)'\n',
        .. "\n"u8,
        .. Encoding.ASCII.GetBytes(new string('a', 16 * 1024 - 1) + "\n"),
        .. Encoding.ASCII.GetBytes(new string('b', 16 * 1024) + "\n"),
        .. Encoding.ASCII.GetBytes(new string('c', 40 * 1024) + "end\n"),
        .. Encoding.ASCII.GetBytes(new string('d', 20 * 1024)),
    ];

    static readonly byte[] Stderr = [.. "error line\n<&> on stderr\n\n"u8, .. "unterminated on stderr"u8];

    [Fact]
    public void Json_file_entries_are_byte_for_byte_dockers()
    {
        var container = RunPrinter("jsonfile", []);
        string dockerLog = Path.Combine(container.Directory, container.Id + "-json.log");

        using var dir = new LogDirectory();
        string ours = dir.File("ours-json.log");
        WriteOurs(Config("json-file"), ours);

        var dockerLines = JsonLines(dockerLog);
        var ourLines = JsonLines(ours);
        Assert.Equal(dockerLines["stdout"].Select(MaskTime), ourLines["stdout"].Select(MaskTime));
        Assert.Equal(dockerLines["stderr"].Select(MaskTime), ourLines["stderr"].Select(MaskTime));

        // Docker gives every piece of a cut line the time of the first: the 40 KiB line is three pieces.
        var pieces = dockerLines["stdout"].Where(l => l.Contains("\"log\":\"ccc")).Select(TimeOf).ToList();
        Assert.Equal(3, pieces.Count);
        Assert.Single(pieces.Distinct());
    }

    [Fact]
    public void Local_entries_are_dockers_protobufs()
    {
        var container = RunPrinter("local", ["--log-driver", "local"]);
        string dockerLog = Path.Combine(container.Directory, "local-logs", "container.log");
        Assert.Equal(dockerLog, LogDrivers.LogPath(Config("local"), container.Directory, container.Id));

        using var dir = new LogDirectory();
        string ours = Path.Combine(dir.Path, "local-logs", "container.log");
        WriteOurs(Config("local"), ours);

        var dockerRecords = LocalRecords(dockerLog);
        var ourRecords = LocalRecords(ours);
        Assert.Equal(dockerRecords["stdout"], ourRecords["stdout"]);
        Assert.Equal(dockerRecords["stderr"], ourRecords["stderr"]);
    }

    [Fact]
    public void Our_reader_reads_dockers_files_as_docker_logs_shows_them()
    {
        var jsonFile = RunPrinter("read-json", []);
        var local = RunPrinter("read-local", ["--log-driver", "local"]);
        var logs = docker.Cli("logs", jsonFile.Name).EnsureSuccess("docker logs");
        var tail = docker.Cli("logs", "--tail", "3", jsonFile.Name).EnsureSuccess("docker logs --tail 3");

        string jsonPath = LogDrivers.LogPath(Config("json-file"), jsonFile.Directory, jsonFile.Id)!;
        var entries = ReadAll(Config("json-file"), jsonPath);
        Assert.Equal(logs.Stdout, Joined(entries, LogSource.Stdout));
        Assert.Equal(logs.Stderr, Joined(entries, LogSource.Stderr));
        // The last three records, stdout and stderr together (dockerd's tail counts before it filters).
        var tailed = ReadAll(Config("json-file"), jsonPath, All with { Tail = 3 });
        Assert.Equal(3, tailed.Count);
        Assert.Equal(tail.Stdout, Joined(tailed, LogSource.Stdout));
        Assert.Equal(tail.Stderr, Joined(tailed, LogSource.Stderr));

        // The local driver keeps the bytes as they came (invalid UTF-8 included): they come back unchanged, cut as
        // json-file's. (dockerd 20.10 itself reads a local log back without the '\n' of a cut line's last piece, a
        // bug later versions fixed; Berth reads as they do.)
        string localPath = LogDrivers.LogPath(Config("local"), local.Directory, local.Id)!;
        var localEntries = ReadAll(Config("local"), localPath);
        Assert.Equal(Stdout, JoinedBytes(localEntries, LogSource.Stdout));
        Assert.Equal(Stderr, JoinedBytes(localEntries, LogSource.Stderr));
        foreach (var source in new[] { LogSource.Stdout, LogSource.Stderr })
            Assert.Equal(Shape(entries, source), Shape(localEntries, source));
        var localTail = ReadAll(Config("local"), localPath, All with { Tail = 3 });
        Assert.Equal(localEntries.TakeLast(3), localTail, (a, b) => a.Source == b.Source && a.Time == b.Time && a.Line.Span.SequenceEqual(b.Line.Span));
    }

    [Fact]
    public void Rotated_and_compressed_files_of_docker_are_read_and_tailed_as_docker_does()
    {
        string[] options = ["--log-opt", "max-size=1k", "--log-opt", "max-file=3", "--log-opt", "compress=true"];
        var container = RunScript("rotated", options, "i=0; while [ $i -lt 300 ]; do echo \"line $i\"; i=$((i+1)); done");
        var config = Config("json-file", ("max-size", "1k"), ("max-file", "3"), ("compress", "true"));
        string path = LogDrivers.LogPath(config, container.Directory, container.Id)!;
        string name = Path.GetFileName(path);
        var files = Directory.GetFiles(container.Directory, name + "*").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        Assert.Contains(name, files);
        Assert.Contains(name + ".2.gz", files);
        Assert.True(files.Contains(name + ".1.gz") || files.Contains(name + ".1"), string.Join(", ", files));

        var all = docker.Cli("logs", container.Name).EnsureSuccess("docker logs").Stdout;
        Assert.Equal(all, Joined(ReadAll(config, path), LogSource.Stdout));
        var tail = docker.Cli("logs", "--tail", "25", container.Name).EnsureSuccess("docker logs --tail 25").Stdout;
        Assert.Equal(tail, Joined(ReadAll(config, path, All with { Tail = 25 }), LogSource.Stdout));
    }

    [Fact]
    public void Timestamps_are_written_as_docker_logs_t_shows_them()
    {
        var container = RunScript("timestamps", [], "echo one; echo two >&2");
        string path = LogDrivers.LogPath(Config("json-file"), container.Directory, container.Id)!;
        var entries = ReadAll(Config("json-file"), path);
        var logs = docker.Cli("logs", "-t", container.Name).EnsureSuccess("docker logs -t");
        // Docker keeps nanoseconds, Berth 100 ns ticks: the last two digits are left out of the comparison.
        string Format(LogEntry e) => Encoding.UTF8.GetString(FormatTty(e));
        Assert.Equal(MaskLastDigits(logs.Stdout), MaskLastDigits(Format(entries.Single(e => e.Source == LogSource.Stdout))));
        Assert.Equal(MaskLastDigits(logs.Stderr), MaskLastDigits(Format(entries.Single(e => e.Source == LogSource.Stderr))));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z one\n$", logs.Stdout);
    }

    static byte[] FormatTty(LogEntry entry)
    {
        var bytes = new byte[LogFormatter.Length(entry, timestamps: true, tty: true)];
        LogFormatter.Format(entry, timestamps: true, tty: true, bytes);
        return bytes;
    }

    static string MaskLastDigits(string text) => TimestampEnd().Replace(text, "..Z ");

    [GeneratedRegex(@"\d\dZ ")]
    private static partial Regex TimestampEnd();

    sealed record Container(string Name, string Id, string Directory);

    Container RunPrinter(string what, string[] options)
    {
        string name = TestIds.New(what);
        string payload = docker.PathOf(name);
        System.IO.Directory.CreateDirectory(payload);
        File.WriteAllBytes(Path.Combine(payload, "out"), Stdout);
        File.WriteAllBytes(Path.Combine(payload, "err"), Stderr);
        return Start(name, [.. options, "-v", payload + ":/p:ro"], "cat /p/out; cat /p/err >&2");
    }

    Container RunScript(string what, string[] options, string script) => Start(TestIds.New(what), options, script);

    Container Start(string name, string[] options, string script)
    {
        docker.Run(["-d", "--name", name, .. options, DockerDaemon.Image, "sh", "-c", script]).EnsureSuccess($"docker run {name}");
        docker.Cli("wait", name).EnsureSuccess($"docker wait {name}");
        string id = docker.Inspect(name, "{{.Id}}");
        return new Container(name, id, docker.PathOf(Path.Combine("data", "containers", id)));
    }

    static void WriteOurs(LogConfig config, string path)
    {
        var now = DateTimeOffset.UtcNow;
        using var writer = LogDrivers.Create(config, path);
        // In the pieces cat writes them in (4 KiB), which the cut lines must not depend on.
        for (int i = 0; i < Stdout.Length; i += 4096)
            writer.Write(LogSource.Stdout, Stdout.AsSpan(i, Math.Min(4096, Stdout.Length - i)), now);
        writer.Complete(LogSource.Stdout, now);
        writer.Write(LogSource.Stderr, Stderr, now);
        writer.Complete(LogSource.Stderr, now);
    }

    // Per entry of one source: whether it ends a line.
    static bool[] Shape(IEnumerable<LogEntry> entries, LogSource source)
        => [.. entries.Where(e => e.Source == source).Select(e => e.Line.Length > 0 && e.Line.Span[^1] == '\n')];

    static string Joined(IEnumerable<LogEntry> entries, LogSource source) => Encoding.UTF8.GetString(JoinedBytes(entries, source));

    static byte[] JoinedBytes(IEnumerable<LogEntry> entries, LogSource source) => [.. entries.Where(e => e.Source == source).SelectMany(e => e.Line.ToArray())];

    static Dictionary<string, List<string>> JsonLines(string path)
    {
        var lines = new Dictionary<string, List<string>> { ["stdout"] = [], ["stderr"] = [] };
        foreach (string line in File.ReadAllText(path).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            lines[JsonDocument.Parse(line).RootElement.GetProperty("stream").GetString()!].Add(line);
        return lines;
    }

    static string TimeOf(string line) => JsonDocument.Parse(line).RootElement.GetProperty("time").GetString()!;

    static string MaskTime(string line) => Regex.Replace(line, "\"time\":\"[^\"]*\"", "\"time\":\"...\"");

    // Each record as its fields in order, time_nano and the partial ID masked (they differ run to run).
    static Dictionary<string, List<string>> LocalRecords(string path)
    {
        var records = new Dictionary<string, List<string>> { ["stdout"] = [], ["stderr"] = [] };
        byte[] file = File.ReadAllBytes(path);
        int at = 0;
        while (at < file.Length)
        {
            int length = (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(at));
            var entry = file.AsSpan(at + 4, length);
            Assert.Equal((uint)length, System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(at + 4 + length)));
            string description = Describe(entry, masked: [2], maskedNested: [2]);
            records[description.StartsWith("1=737464657272/stderr", StringComparison.Ordinal) ? "stderr" : "stdout"].Add(description);
            at += length + 8;
        }
        return records;
    }

    static string Describe(ReadOnlySpan<byte> message, int[] masked, int[] maskedNested)
    {
        var parts = new List<string>();
        int at = 0;
        while (at < message.Length)
        {
            ulong tag = Varint(message, ref at);
            int field = (int)(tag >> 3);
            if ((tag & 7) == 0)
            {
                ulong value = Varint(message, ref at);
                parts.Add($"{field}={(masked.Contains(field) ? "?" : value.ToString())}");
            }
            else
            {
                int length = (int)Varint(message, ref at);
                var value = message.Slice(at, length);
                at += length;
                parts.Add(field == 5
                    ? $"5={{{Describe(value, maskedNested, [])}}}"
                    : $"{field}={(masked.Contains(field) ? "?" : Convert.ToHexString(value) + "/" + Encoding.UTF8.GetString(value))}");
            }
        }
        return string.Join(' ', parts);
    }

    static ulong Varint(ReadOnlySpan<byte> s, ref int at)
    {
        ulong value = 0;
        for (int shift = 0; ; shift += 7)
        {
            byte b = s[at++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
                return value;
        }
    }
}
