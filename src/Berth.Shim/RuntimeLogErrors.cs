using System.Text;
using System.Text.Json;

namespace Berth.Shim;

/// <summary>The runtime's last error in its --log file: JSON lines (<c>{"level":"error","msg":...}</c>) or logrus text lines.</summary>
static class RuntimeLogErrors
{
    /// <summary>The message of the last error line written after <paramref name="offset"/>; null if none.</summary>
    public static string? Last(string path, long offset)
    {
        string text;
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
            if (offset > file.Length)
                offset = 0;
            file.Position = offset;
            var bytes = new byte[Math.Min(file.Length - offset, 1 << 20)];
            file.ReadExactly(bytes);
            text = Encoding.UTF8.GetString(bytes);
        }
        catch (IOException)
        {
            return null;
        }
        string? last = null;
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            if (ErrorOf(line) is { } message)
                last = message;
        return last;
    }

    static string? ErrorOf(string line)
    {
        if (line.StartsWith('{'))
        {
            try
            {
                using var document = JsonDocument.Parse(line);
                var root = document.RootElement;
                if (root.TryGetProperty("level", out var level) && level.GetString() is "error" or "fatal"
                    && root.TryGetProperty("msg", out var msg))
                    return msg.GetString();
            }
            catch (JsonException)
            {
            }
            return null;
        }
        // logrus text: time="..." level=error msg="..."
        if (!line.Contains("level=error", StringComparison.Ordinal) && !line.Contains("level=fatal", StringComparison.Ordinal))
            return null;
        int start = line.IndexOf("msg=\"", StringComparison.Ordinal);
        if (start < 0)
            return null;
        var message = new StringBuilder();
        for (int i = start + 5; i < line.Length && line[i] != '"'; i++)
        {
            if (line[i] == '\\' && i + 1 < line.Length)
                i++;
            message.Append(line[i]);
        }
        return message.ToString();
    }
}
