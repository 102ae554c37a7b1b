using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace Berth.Cli.Client;

/// <summary>
/// berthd's Docker Engine API over HTTP/1.1, one connection per request. The API version is negotiated once, as
/// docker's client does: the /_ping answer's Api-Version header, capped at the version this client speaks, prefixes
/// every later path (/v1.50/containers/json). An answer of 400 or more becomes a <see cref="DaemonException"/>.
/// </summary>
internal sealed class DaemonClient
{
    public const string MaxApiVersion = "1.50";

    readonly string? _pinnedVersion;
    string? _version;

    public DaemonClient(DaemonEndpoint endpoint, TlsSettings? tls, string? pinnedVersion = null)
    {
        Endpoint = endpoint;
        Tls = tls;
        _pinnedVersion = string.IsNullOrEmpty(pinnedVersion) ? null : pinnedVersion.TrimStart('v');
    }

    public DaemonEndpoint Endpoint { get; }

    public TlsSettings? Tls { get; }

    /// <summary>What the last /_ping said about the daemon (OSType, Api-Version, Server...).</summary>
    public Dictionary<string, string> PingHeaders { get; private set; } = new(StringComparer.OrdinalIgnoreCase);

    public static string UserAgent => $"Berth-Client/{BuildInfo.Version} (linux)";

    /// <summary>The negotiated API version ("1.50"), pinging the daemon the first time.</summary>
    public async Task<string> ApiVersionAsync(CancellationToken ct = default)
    {
        if (_version is not null)
            return _version;
        if (_pinnedVersion is not null)
            return _version = _pinnedVersion;
        string server = await PingAsync(ct).ConfigureAwait(false);
        _version = CompareVersions(server, MaxApiVersion) < 0 ? server : MaxApiVersion;
        return _version;
    }

    /// <summary>Whether the negotiated version is at least <paramref name="version"/>.</summary>
    public async Task<bool> SupportsAsync(string version, CancellationToken ct = default) =>
        CompareVersions(await ApiVersionAsync(ct).ConfigureAwait(false), version) >= 0;

    /// <summary>HEAD /_ping (GET when HEAD is refused); the daemon's API version ("1.24" when it names none).</summary>
    public async Task<string> PingAsync(CancellationToken ct = default)
    {
        foreach (string method in new[] { "HEAD", "GET" })
        {
            ApiResponse response;
            try
            {
                response = await SendRawAsync(method, "/_ping", null, null, null, hijack: false, ct).ConfigureAwait(false);
            }
            catch (IOException) when (method == "HEAD")
            {
                continue;
            }
            using (response)
            {
                if (method == "HEAD" && response.Status is not (200 or 500))
                    continue;
                PingHeaders = new Dictionary<string, string>(response.Headers, StringComparer.OrdinalIgnoreCase);
                string version = response.Header("Api-Version") ?? "";
                return version.Length == 0 ? "1.24" : version;
            }
        }
        return "1.24";
    }

    /// <summary>Sends a request to the versioned path and checks the status.</summary>
    public async Task<ApiResponse> SendAsync(string method, string path, Query? query = null, RequestBody? body = null,
        IReadOnlyDictionary<string, string>? headers = null, bool hijack = false, CancellationToken ct = default)
    {
        string version = await ApiVersionAsync(ct).ConfigureAwait(false);
        var response = await SendRawAsync(method, "/v" + version + path, query, body, headers, hijack, ct).ConfigureAwait(false);
        if (response.Status >= 400)
        {
            using (response)
                throw await ErrorFromAsync(response, method, path, ct).ConfigureAwait(false);
        }
        return response;
    }

    public async Task<JsonNode?> GetJsonAsync(string path, Query? query = null, CancellationToken ct = default)
    {
        using var response = await SendAsync("GET", path, query, ct: ct).ConfigureAwait(false);
        return await response.ReadJsonAsync(ct).ConfigureAwait(false);
    }

    public async Task<byte[]> GetBytesAsync(string path, Query? query = null, CancellationToken ct = default)
    {
        using var response = await SendAsync("GET", path, query, ct: ct).ConfigureAwait(false);
        return await response.ReadBytesAsync(ct).ConfigureAwait(false);
    }

    public async Task<JsonNode?> PostJsonAsync(string path, Query? query = null, RequestBody? body = null, CancellationToken ct = default)
    {
        using var response = await SendAsync("POST", path, query, body, ct: ct).ConfigureAwait(false);
        return await response.ReadJsonAsync(ct).ConfigureAwait(false);
    }

    /// <summary>A request whose answer has nothing to read (204, or a body that is drained).</summary>
    public async Task SendAndDrainAsync(string method, string path, Query? query = null, RequestBody? body = null, CancellationToken ct = default)
    {
        using var response = await SendAsync(method, path, query, body, ct: ct).ConfigureAwait(false);
        await response.Body.CopyToAsync(Stream.Null, ct).ConfigureAwait(false);
    }

    async Task<ApiResponse> SendRawAsync(string method, string pathAndQuery, Query? query, RequestBody? body,
        IReadOnlyDictionary<string, string>? headers, bool hijack, CancellationToken ct)
    {
        var connection = await Connection.OpenAsync(Endpoint, Tls, ct).ConfigureAwait(false);
        try
        {
            string target = query is null || query.IsEmpty ? pathAndQuery : pathAndQuery + "?" + query;
            var head = new StringBuilder();
            head.Append(method).Append(' ').Append(target).Append(" HTTP/1.1\r\n");
            head.Append("Host: ").Append(Endpoint.HostHeader).Append("\r\n");
            head.Append("User-Agent: ").Append(UserAgent).Append("\r\n");
            if (hijack)
                head.Append("Connection: Upgrade\r\nUpgrade: tcp\r\n");
            if (headers is not null)
            {
                foreach (var (name, value) in headers)
                    head.Append(name).Append(": ").Append(value).Append("\r\n");
            }
            bool chunked = false;
            if (body is not null)
            {
                head.Append("Content-Type: ").Append(body.ContentType).Append("\r\n");
                if (body.Length is { } length)
                    head.Append("Content-Length: ").Append(length.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
                else
                {
                    head.Append("Transfer-Encoding: chunked\r\n");
                    chunked = true;
                }
            }
            else if (method is "POST" or "PUT")
            {
                head.Append("Content-Length: 0\r\n");
            }
            head.Append("\r\n");
            byte[] headBytes = Encoding.UTF8.GetBytes(head.ToString());
            if (body?.Bytes is { } bytes && bytes.Length <= 64 * 1024)
            {
                // One write: a small request in one packet.
                byte[] all = new byte[headBytes.Length + bytes.Length];
                headBytes.CopyTo(all, 0);
                bytes.CopyTo(all, headBytes.Length);
                await connection.WriteAsync(all, ct).ConfigureAwait(false);
            }
            else
            {
                await connection.WriteAsync(headBytes, ct).ConfigureAwait(false);
                if (body?.Bytes is { } large)
                    await connection.WriteAsync(large, ct).ConfigureAwait(false);
                else if (body?.Stream is { } stream)
                {
                    if (chunked)
                        await ChunkedWriter.CopyAsync(stream, connection, ct).ConfigureAwait(false);
                    else
                        await stream.CopyToAsync(connection, 64 * 1024, ct).ConfigureAwait(false);
                }
            }
            await connection.FlushAsync(ct).ConfigureAwait(false);
            return await ReadResponseAsync(connection, method, hijack, ct).ConfigureAwait(false);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    static async Task<ApiResponse> ReadResponseAsync(Connection connection, string method, bool hijack, CancellationToken ct)
    {
        string statusLine = await connection.ReadLineAsync(ct).ConfigureAwait(false)
            ?? throw new IOException("the daemon closed the connection without answering");
        // HTTP/1.1 200 OK
        string[] parts = statusLine.Split(' ', 3);
        if (parts.Length < 2 || !parts[0].StartsWith("HTTP/", StringComparison.Ordinal) || !int.TryParse(parts[1], out int status))
            throw new IOException($"malformed HTTP response \"{statusLine}\"");
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        while (await connection.ReadLineAsync(ct).ConfigureAwait(false) is { Length: > 0 } line)
        {
            int colon = line.IndexOf(':');
            if (colon <= 0)
                continue;
            string name = line[..colon].Trim();
            string value = line[(colon + 1)..].Trim();
            headers[name] = headers.TryGetValue(name, out var prior) ? prior + ", " + value : value;
        }
        Stream body;
        if (method == "HEAD" || status is 204 or 304 || status is >= 100 and < 200 && status != 101)
            body = new UntilCloseReadStream(null);
        else if (status == 101 || hijack && status == 200 && !headers.ContainsKey("Content-Length") && !headers.ContainsKey("Transfer-Encoding"))
            body = connection;
        else if (headers.TryGetValue("Transfer-Encoding", out var te) && te.Contains("chunked", StringComparison.OrdinalIgnoreCase))
            body = new ChunkedReadStream(connection);
        else if (headers.TryGetValue("Content-Length", out var cl) && long.TryParse(cl, out long length))
            body = new ContentLengthReadStream(connection, length);
        else
            body = new UntilCloseReadStream(connection);
        return new ApiResponse(connection, status, parts.Length > 2 ? parts[2] : "", headers, body);
    }

    /// <summary>docker's checkResponseErr: the JSON "message", else the body's text, else a note about the route.</summary>
    static async Task<Exception> ErrorFromAsync(ApiResponse response, string method, string path, CancellationToken ct)
    {
        byte[] body;
        try
        {
            body = await response.ReadBytesAsync(ct).ConfigureAwait(false);
        }
        catch (IOException)
        {
            body = [];
        }
        if (body.Length == 0)
            return new DaemonException(response.Status,
                $"request returned {response.Reason} for API route and version {method} {path}, check if the server supports the requested API version");
        string text = Encoding.UTF8.GetString(body);
        string message = text.Trim();
        if ((response.Header("Content-Type") ?? "").StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                if (JsonNode.Parse(body) is JsonObject o && o["message"] is JsonValue m && m.TryGetValue(out string? s))
                    message = s.Trim();
            }
            catch (JsonException e)
            {
                return new CliException($"Error reading JSON: {e.Message}");
            }
        }
        return new DaemonException(response.Status, message);
    }

    /// <summary>Compares dotted API versions ("1.9" &lt; "1.41").</summary>
    public static int CompareVersions(string a, string b)
    {
        string[] x = a.Split('.');
        string[] y = b.Split('.');
        for (int i = 0; i < Math.Max(x.Length, y.Length); i++)
        {
            int p = i < x.Length && int.TryParse(x[i], out int px) ? px : 0;
            int q = i < y.Length && int.TryParse(y[i], out int qy) ? qy : 0;
            if (p != q)
                return p.CompareTo(q);
        }
        return 0;
    }
}
