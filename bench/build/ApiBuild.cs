using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using Berth.TestSupport;

namespace Berth.Bench.Build;

/// <summary>
/// POST /build with a context packed once in memory, straight to a daemon's socket: the daemon's share of a
/// build without the CLI's start, walk of the context directory and tar packing. The streamed output is read as
/// it arrives, so each "Step n/m" line has the time since the request started: where a build's time goes.
/// </summary>
internal static class ApiBuild
{
    /// <summary>Builds; returns the streamed JSON output and when each step began. A build error (errorDetail) throws.</summary>
    public static (string Output, List<(string Step, double Ms)> Steps) Post(string socket, byte[] context, string tag, bool noCache = false)
    {
        var clock = Stopwatch.StartNew();
        using var client = UnixHttp.Client(socket);
        client.Timeout = TimeSpan.FromMinutes(5);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/build?t={Uri.EscapeDataString(tag)}&rm=1{(noCache ? "&nocache=1" : "")}")
        {
            Content = new ByteArrayContent(context),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-tar");
        using var response = client.Send(request, HttpCompletionOption.ResponseHeadersRead);
        var output = new System.Text.StringBuilder();
        var steps = new List<(string, double)>();
        using (var reader = new StreamReader(response.Content.ReadAsStream()))
        {
            // Docker's JSON messages are one per line; a step's line is sent as the step starts.
            while (reader.ReadLine() is { } line)
            {
                output.AppendLine(line);
                if (Stream(line) is { } text && text.StartsWith("Step ", StringComparison.Ordinal))
                    steps.Add((text.TrimEnd(), clock.Elapsed.TotalMilliseconds));
            }
        }
        steps.Add(("(done)", clock.Elapsed.TotalMilliseconds));
        string all = output.ToString();
        if (!response.IsSuccessStatusCode || all.Contains("\"errorDetail\"", StringComparison.Ordinal))
            throw new InvalidOperationException($"POST /build to {socket}: {(int)response.StatusCode} {all}");
        return (all, steps);
    }

    static string? Stream(string line)
    {
        if (line.Length == 0 || line[0] != '{')
            return null;
        using var message = JsonDocument.Parse(line);
        return message.RootElement.TryGetProperty("stream", out var stream) ? stream.GetString() : null;
    }
}
