namespace Berth.Http;

/// <summary>One request as received: its head parsed, its body readable once from <see cref="Body"/>.</summary>
public sealed class HttpRequest
{
    internal HttpRequest(string method, string rawTarget, string path, QueryString query, HeaderCollection headers,
        int minorVersion, in RequestFraming framing)
    {
        Method = method;
        RawTarget = rawTarget;
        Path = path;
        Query = query;
        Headers = headers;
        MinorVersion = minorVersion;
        ContentLength = framing.ContentLength;
        IsChunked = framing.Chunked;
        KeepAlive = minorVersion >= 1 ? !framing.ConnectionClose : framing.ConnectionKeepAlive && !framing.ConnectionClose;
        ExpectContinue = framing.ExpectContinue && minorVersion >= 1;
        Upgrade = framing.Upgrade;
    }

    public string Method { get; }

    /// <summary>The path, percent-decoded, without the query: <c>/v1.45/images/a%2Fb/json</c> reads <c>/v1.45/images/a/b/json</c>.</summary>
    public string Path { get; }

    /// <summary>The request target exactly as received (<c>/v1.45/containers/json?all=1</c>).</summary>
    public string RawTarget { get; }

    public QueryString Query { get; }

    public HeaderCollection Headers { get; }

    /// <summary><c>HTTP/1.0</c> or <c>HTTP/1.1</c>.</summary>
    public string Protocol => MinorVersion == 0 ? "HTTP/1.0" : "HTTP/1.1";

    /// <summary>
    /// The body, framed by <c>Content-Length</c> or chunked, read straight from the connection. Without a body it is an
    /// empty stream; reading past the end returns 0. What a handler leaves unread is drained after it returns.
    /// </summary>
    public Stream Body { get; internal set; } = Stream.Null;

    /// <summary>A body follows the head: a positive <c>Content-Length</c> or <c>Transfer-Encoding: chunked</c>.</summary>
    public bool HasBody => IsChunked || ContentLength > 0;

    /// <summary>The declared length; null when the body is chunked or absent.</summary>
    public long? ContentLength { get; }

    public bool IsChunked { get; }

    /// <summary>
    /// The client asks to upgrade the connection: it sent an <c>Upgrade</c> header (<c>tcp</c> for attach and exec,
    /// <c>h2c</c> for session). dockerd decides on the <c>Upgrade</c> header alone, and so does this; the docker CLI
    /// sends <c>Connection: Upgrade</c> with it.
    /// </summary>
    public bool WantsUpgrade => Upgrade is not null;

    /// <summary>The <c>Upgrade</c> header's value, or null.</summary>
    public string? Upgrade { get; }

    internal int MinorVersion { get; }

    /// <summary>The connection may serve another request after this one, as far as the client is concerned.</summary>
    internal bool KeepAlive { get; }

    /// <summary>The client waits for <c>100 Continue</c> before it sends the body.</summary>
    internal bool ExpectContinue { get; }

    internal RequestBodyStream? BodyReader { get; set; }
}

/// <summary>What the head says about the body and the connection.</summary>
internal struct RequestFraming
{
    public long? ContentLength;
    public bool Chunked;
    public bool ConnectionClose;
    public bool ConnectionKeepAlive;
    public bool ExpectContinue;
    public string? Upgrade;
}
