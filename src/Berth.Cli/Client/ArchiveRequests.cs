using System.Text;
using Berth.Engine.Model;

namespace Berth.Cli.Client;

/// <summary>The container archive API as docker's client calls it (ContainerStatPath, CopyFromContainer, CopyToContainer).</summary>
internal static class ArchiveRequests
{
    const string StatHeader = "X-Docker-Container-Path-Stat";

    /// <summary>HEAD /containers/{id}/archive: what is at the path.</summary>
    public static async Task<ContainerPathStat> StatPathAsync(this DaemonClient client, string container, string path, CancellationToken ct = default)
    {
        using var response = await client.SendAsync("HEAD", ArchivePath(container), new Query().Add("path", path), ct: ct).ConfigureAwait(false);
        return DecodeStat(response);
    }

    /// <summary>GET /containers/{id}/archive: the path's stat, and the response whose body is its tar (the caller disposes it).</summary>
    public static async Task<(ApiResponse Response, ContainerPathStat Stat)> GetArchiveAsync(this DaemonClient client, string container, string path,
        CancellationToken ct = default)
    {
        var response = await client.SendAsync("GET", ArchivePath(container), new Query().Add("path", path), ct: ct).ConfigureAwait(false);
        try
        {
            return (response, DecodeStat(response));
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>
    /// PUT /containers/{id}/archive: <paramref name="content"/> (a tar) extracted into the directory
    /// <paramref name="path"/>; docker's client always forbids a directory to replace a file and the reverse.
    /// </summary>
    public static async Task PutArchiveAsync(this DaemonClient client, string container, string path, Stream content, bool copyUidGid,
        CancellationToken ct = default)
    {
        var query = new Query().Add("path", path).Add("noOverwriteDirNonDir", "true").AddIf(copyUidGid, "copyUIDGID", "true");
        await client.SendAndDrainAsync("PUT", ArchivePath(container), query, RequestBody.FromStream(content), ct).ConfigureAwait(false);
    }

    static string ArchivePath(string container) => $"/containers/{Query.PathSegment(container)}/archive";

    /// <summary>getContainerPathStatFromHeader: base64 of the stat's JSON.</summary>
    static ContainerPathStat DecodeStat(ApiResponse response)
    {
        try
        {
            byte[] json = Convert.FromBase64String(response.Header(StatHeader) ?? "");
            return DaemonClientTyped.Decode(json, DockerJson.Default.ContainerPathStat);
        }
        catch (Exception e) when (e is FormatException or CliException)
        {
            throw new CliException($"unable to decode container path stat header: {e.Message}");
        }
    }
}
