using System.Text.Json.Nodes;
using Berth.Cli.Client;

namespace Berth.Cli.Streams;

/// <summary>
/// POST /containers/{id}/wait, registered before the container starts (the daemon answers the head once it
/// watches), its body read when the exit status is wanted.
/// </summary>
internal sealed class ContainerWaiter : IDisposable
{
    readonly ApiResponse _response;

    ContainerWaiter(ApiResponse response) => _response = response;

    /// <param name="condition">"next-exit", "removed", "not-running" or "" (the daemon's default).</param>
    public static async Task<ContainerWaiter> StartAsync(DaemonClient client, string id, string condition)
    {
        var query = new Query();
        if (condition.Length > 0 && await client.SupportsAsync("1.30").ConfigureAwait(false))
            query.Add("condition", condition);
        var response = await client.SendAsync("POST", $"/containers/{Query.PathSegment(id)}/wait", query).ConfigureAwait(false);
        return new ContainerWaiter(response);
    }

    /// <summary>The exit status; 125 (after printing why) when waiting failed, as docker's waitExitOrRemoved.</summary>
    public async Task<int> StatusAsync(TextWriter err)
    {
        try
        {
            var json = await _response.ReadJsonAsync().ConfigureAwait(false);
            if (json?["Error"]?["Message"] is JsonValue m && m.TryGetValue(out string? message) && message.Length > 0)
            {
                err.WriteLine($"Error waiting for container: {message}");
                return 125;
            }
            return json?["StatusCode"] is JsonValue s && s.TryGetValue(out long code) ? (int)code : 0;
        }
        catch (Exception e) when (e is IOException or CliException)
        {
            err.WriteLine($"error waiting for container: {e.Message}");
            return 125;
        }
    }

    /// <summary>docker's getExitStatus for attach: the wait's error message as the failure, else the status.</summary>
    public async Task<(int Status, string? Error)> ResultAsync()
    {
        var json = await _response.ReadJsonAsync().ConfigureAwait(false);
        if (json?["Error"]?["Message"] is JsonValue m && m.TryGetValue(out string? message) && message.Length > 0)
            return (1, message);
        return (json?["StatusCode"] is JsonValue s && s.TryGetValue(out long code) ? (int)code : 0, null);
    }

    public void Dispose() => _response.Dispose();
}
