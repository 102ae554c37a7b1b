using System.Text;
using System.Text.Json;

namespace Berth.Runtime.Cli;

/// <summary>
/// runc's logging: logrus text (<c>time="..." level=error msg="..."</c>) or JSON lines, to stderr or
/// to the --log file. containerd and Podman read the last error from that file.
/// </summary>
internal static class RuntimeLog
{
    static string? _file;
    static bool _json;

    public static bool Debug { get; private set; }

    public static bool ToStderr => _file is null;

    public static void Configure(string? file, string? format, bool debug)
    {
        _file = string.IsNullOrEmpty(file) ? null : file;
        _json = format == "json";
        Debug = debug;
    }

    public static void Error(string message) => Write("error", message);

    public static void Warn(string message) => Write("warning", message);

    public static void DebugMessage(string message)
    {
        if (Debug)
            Write("debug", message);
    }

    static void Write(string level, string message)
    {
        string time = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");
        string line;
        if (_json)
        {
            var buffer = new MemoryStream();
            using (var w = new Utf8JsonWriter(buffer))
            {
                w.WriteStartObject();
                w.WriteString("level", level);
                w.WriteString("msg", message);
                w.WriteString("time", time);
                w.WriteEndObject();
            }
            line = Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
        }
        else
            line = $"time=\"{time}\" level={level} msg=\"{Escape(message)}\"\n";
        try
        {
            if (_file is not null)
                File.AppendAllText(_file, line);
            else
                Output.Error(line);
        }
        catch (IOException)
        {
            Output.Error(line);
        }
    }

    static string Escape(string s) => s.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");
}
