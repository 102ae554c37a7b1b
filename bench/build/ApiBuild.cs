using System.Net.Http.Headers;
using Berth.TestSupport;

namespace Berth.Bench.Build;

/// <summary>
/// POST /build with a context packed once in memory, straight to a daemon's socket: the daemon's share of a
/// build without the CLI's start, walk of the context directory and tar packing.
/// </summary>
internal static class ApiBuild
{
    /// <summary>Builds and returns the streamed JSON output; a build error (errorDetail) throws.</summary>
    public static string Post(string socket, byte[] context, string tag)
    {
        using var client = UnixHttp.Client(socket);
        client.Timeout = TimeSpan.FromMinutes(5);
        using var body = new ByteArrayContent(context);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/x-tar");
        using var response = client.PostAsync($"/build?t={Uri.EscapeDataString(tag)}&rm=1", body).GetAwaiter().GetResult();
        string output = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
        if (!response.IsSuccessStatusCode || output.Contains("\"errorDetail\"", StringComparison.Ordinal))
            throw new InvalidOperationException($"POST /build to {socket}: {(int)response.StatusCode} {output}");
        return output;
    }
}
