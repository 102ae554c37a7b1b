using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Cli.Client;

namespace Berth.Cli.Output;

/// <summary>
/// docker's jsonmessage stream (pull, load, import answers): one JSON object per line with a status, a stream text
/// or an error. On a terminal, progress lines of one layer (one "id") are redrawn in place with cursor movements,
/// as docker's DisplayJSONMessagesStream does; on a pipe, progress bars are left out and every message is a line.
/// An error message ends the stream as a failure with the daemon's words.
/// </summary>
internal static class JsonMessages
{
    /// <param name="aux">Sees each <c>aux</c> message (a build's image ID); they are not shown.</param>
    public static async Task DisplayAsync(Stream body, TextWriter? output, bool terminal, Action<JsonNode>? aux = null)
    {
        using var reader = new StreamReader(body, Encoding.UTF8);
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            if (line.Trim().Length == 0)
                continue;
            JsonObject? message;
            try
            {
                message = JsonNode.Parse(line) as JsonObject;
            }
            catch (JsonException)
            {
                output?.WriteLine(line);
                continue;
            }
            if (message is null)
                continue;
            if (Text(message["errorDetail"]?["message"]) is { Length: > 0 } detail)
            {
                output?.Flush();
                // A build's failing RUN: the CLI exits with the command's code, as docker does.
                int code = message["errorDetail"]?["code"] is JsonValue v && v.TryGetValue(out int c) && c != 0 ? c : 1;
                throw new CliException(detail, code);
            }
            if (Text(message["error"]) is { Length: > 0 } error)
                throw new CliException(error);
            if (message["aux"] is { } auxiliary)
            {
                aux?.Invoke(auxiliary);
                continue;
            } // push's tag/digest record: for programs, not shown (as docker's auxCallback)
            if (output is not null)
                Display(output, message, terminal, lines);
        }
        output?.Flush();
    }

    static void Display(TextWriter output, JsonObject message, bool terminal, Dictionary<string, int> lines)
    {
        string id = Text(message["id"]) ?? "";
        string status = Text(message["status"]) ?? "";
        string? stream = Text(message["stream"]);
        string progress = Text(message["progress"]) ?? "";
        // docker counts any progressDetail (even {}) as progress: on a terminal such a line is redrawn in place.
        bool hasProgress = message["progressDetail"] is JsonObject || progress.Length > 0;
        if (stream is null && hasProgress && progress.Length > 0 && !terminal)
            return; // no progress bars on a pipe
        int up = 0;
        if (id.Length > 0 && terminal)
        {
            if (!lines.TryGetValue(id, out int index))
            {
                index = lines.Count;
                lines[id] = index;
                output.Write('\n');
            }
            up = lines.Count - index;
            output.Write($"\x1b[{up}A");
        }
        else if (id.Length == 0)
        {
            // Anything that is not a layer's progress starts a new block of lines.
            lines.Clear();
        }
        string end = "";
        if (terminal && stream is null && hasProgress)
        {
            output.Write("\x1b[2K\r");
            end = "\r";
        }
        if (id.Length > 0)
            output.Write(id + ": ");
        if (stream is not null)
            output.Write(stream + end);
        else if (hasProgress && terminal)
            output.Write($"{status} {progress}{end}");
        else
            output.Write(status + end + "\n");
        if (id.Length > 0 && terminal)
            output.Write($"\x1b[{up}B");
        output.Flush();
    }

    static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue(out string? s) ? s : null;
}
