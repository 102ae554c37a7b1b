using System.Text;
using System.Text.Json.Nodes;

namespace Berth.Cli.Client;

/// <summary>A response of the daemon: status, headers and a body stream that ends with the body.</summary>
internal sealed class ApiResponse : IAsyncDisposable, IDisposable
{
    internal ApiResponse(Connection connection, int status, string reason, Dictionary<string, string> headers, Stream body)
    {
        Connection = connection;
        Status = status;
        Reason = reason;
        Headers = headers;
        Body = body;
    }

    public int Status { get; }

    public string Reason { get; }

    /// <summary>Header names are case-insensitive; repeated headers are joined with ", ".</summary>
    public Dictionary<string, string> Headers { get; }

    public Stream Body { get; }

    /// <summary>The connection itself: after a 101 (hijacked attach or exec) it carries the raw streams both ways.</summary>
    public Connection Connection { get; }

    public string? Header(string name) => Headers.GetValueOrDefault(name);

    public async Task<byte[]> ReadBytesAsync(CancellationToken ct = default)
    {
        using var buffer = new MemoryStream();
        await Body.CopyToAsync(buffer, ct).ConfigureAwait(false);
        return buffer.ToArray();
    }

    public async Task<string> ReadStringAsync(CancellationToken ct = default) => Encoding.UTF8.GetString(await ReadBytesAsync(ct).ConfigureAwait(false));

    public async Task<JsonNode?> ReadJsonAsync(CancellationToken ct = default)
    {
        byte[] bytes = await ReadBytesAsync(ct).ConfigureAwait(false);
        if (bytes.Length == 0)
            return null;
        try
        {
            return JsonNode.Parse(bytes, documentOptions: new System.Text.Json.JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new CliException($"error reading the daemon's answer: {e.Message}");
        }
    }

    public void Dispose() => Connection.Dispose();

    public ValueTask DisposeAsync()
    {
        Connection.Dispose();
        return ValueTask.CompletedTask;
    }
}
