using System.Text;
using Berth.Engine.Logs;
using Berth.TestSupport;

namespace Berth.Engine.Tests.Logs;

/// <summary>A temporary directory for a test's log files, removed on Dispose; and helpers to write and read them.</summary>
public sealed class LogDirectory : IDisposable
{
    public LogDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), TestIds.New("logs"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string[] Names() => [.. Directory.GetFiles(Path).Select(System.IO.Path.GetFileName).Order(StringComparer.Ordinal)!];

    public void Dispose() => Directory.Delete(Path, recursive: true);

    public static LogConfig Config(string type, params (string Key, string Value)[] options)
        => new(type, options.ToDictionary(o => o.Key, o => o.Value));

    public static readonly LogReadOptions All = new(Stdout: true, Stderr: true, Since: null, Until: null, Tail: null, Follow: false);

    public static List<LogEntry> ReadAll(LogConfig config, string path, LogReadOptions? options = null)
        => ReadAllAsync(config, path, options ?? All, Task.CompletedTask).GetAwaiter().GetResult();

    public static async Task<List<LogEntry>> ReadAllAsync(LogConfig config, string path, LogReadOptions options, Task stopped, CancellationToken ct = default)
    {
        var entries = new List<LogEntry>();
        await foreach (var entry in LogReader.ReadAsync(config, path, options, stopped, ct))
            entries.Add(entry);
        return entries;
    }

    public static string Text(LogEntry entry) => Encoding.UTF8.GetString(entry.Line.Span);

    public static string[] Texts(IEnumerable<LogEntry> entries) => [.. entries.Select(Text)];

    /// <summary>Writes each text as a '\n'-terminated line on stdout, one second apart from <paramref name="start"/> on.</summary>
    public static void WriteLines(IContainerLogWriter writer, DateTimeOffset start, IEnumerable<string> lines, LogSource source = LogSource.Stdout)
    {
        int i = 0;
        foreach (string line in lines)
            writer.Write(source, Encoding.UTF8.GetBytes(line + "\n"), start.AddSeconds(i++));
    }
}
