using Berth.Cli.Client;
using Berth.Engine.Model;

namespace Berth.Cli.Commands;

/// <summary>The hijacked attach requests: POST /containers/{id}/attach and POST /exec/{id}/start with Upgrade: tcp.</summary>
internal static class AttachRequest
{
    static readonly Dictionary<string, string> PlainText = new() { ["Content-Type"] = "text/plain" };

    public static Task<ApiResponse> ContainerAsync(DaemonClient client, string id, bool stdin, bool stdout, bool stderr, string detachKeys)
    {
        var query = new Query().Add("stream", "1").AddIf(stdin, "stdin", "1").AddIf(stdout, "stdout", "1").AddIf(stderr, "stderr", "1")
            .AddIfNotEmpty("detachKeys", detachKeys);
        return client.SendAsync("POST", $"/containers/{Query.PathSegment(id)}/attach", query, headers: PlainText, hijack: true);
    }

    public static Task<ApiResponse> ExecAsync(DaemonClient client, string execId, ExecStartRequest start) =>
        client.SendAsync("POST", $"/exec/{execId}/start", body: DaemonClientTyped.Json(start, DockerJson.Default.ExecStartRequest), hijack: true);
}
