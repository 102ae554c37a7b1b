using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Berth.Http;

/// <summary>
/// The response to one request, sent in one of four ways: a body of known length (<see cref="WriteAsync(ReadOnlyMemory{byte}, string?, CancellationToken)"/>,
/// <see cref="WriteJsonAsync{T}"/>, <see cref="WriteErrorAsync"/>), a stream (<see cref="StartStreamAsync"/>, chunked),
/// a hijack (<see cref="HijackAsync"/>), or nothing, when the handler returns without writing: then the status alone
/// with an empty body. Headers set with <see cref="SetHeader"/> before any of these go out with every kind, the hijack's
/// included. The server owns <c>Content-Length</c>, <c>Transfer-Encoding</c> and <c>Connection</c>; a handler that sets
/// <c>Connection: close</c> gets the connection closed after the response.
/// </summary>
public sealed class HttpResponse
{
    public const string RawStreamContentType = "application/vnd.docker.raw-stream";

    /// <summary>Bodies up to this size go out in the same write as the head.</summary>
    const int CoalesceLimit = 16 * 1024;

    static readonly JsonWriterOptions JsonOptions = new()
    {
        // Go's json.Encoder with SetEscapeHTML(false), as dockerd's httputils.WriteJSON: <, >, & and non-ASCII raw.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    [ThreadStatic]
    static Utf8JsonWriter? t_jsonWriter;

    enum State { NotStarted, Written, Streaming, Hijacked }

    readonly HttpConnection _connection;
    readonly HttpRequest _request;
    List<KeyValuePair<string, string>>? _headers;
    State _state;
    int _statusCode = 200;
    bool _closeConnection;
    ResponseBodyStream? _stream;

    internal HttpResponse(HttpConnection connection, HttpRequest request)
    {
        _connection = connection;
        _request = request;
    }

    /// <summary>200 unless set; fixed once the response has started.</summary>
    public int StatusCode
    {
        get => _statusCode;
        set
        {
            if (HasStarted)
                throw new InvalidOperationException("the status cannot change after the response has started");
            if (value is < 100 or > 999)
                throw new ArgumentOutOfRangeException(nameof(value), value, "an HTTP status has three digits");
            _statusCode = value;
        }
    }

    public bool HasStarted => _state != State.NotStarted;

    internal bool IsHijacked => _state == State.Hijacked;

    /// <summary>Sets a header, replacing any value it had.</summary>
    public void SetHeader(string name, string value)
    {
        RemoveHeader(name);
        AddHeader(name, value);
    }

    /// <summary>Adds a header, keeping values it already had (a field sent more than once).</summary>
    public void AddHeader(string name, string value)
    {
        EnsureNotStarted();
        ValidateField(name, value);
        (_headers ??= new(6)).Add(new(name, value));
    }

    public bool RemoveHeader(string name)
    {
        EnsureNotStarted();
        return _headers is not null && _headers.RemoveAll(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)) > 0;
    }

    public string? GetHeader(string name)
    {
        if (_headers is null)
            return null;
        foreach (var header in _headers)
        {
            if (string.Equals(header.Key, name, StringComparison.OrdinalIgnoreCase))
                return header.Value;
        }
        return null;
    }

    /// <summary>
    /// Sends <see cref="StatusCode"/> with <paramref name="body"/> and its <c>Content-Length</c>; a null
    /// <paramref name="contentType"/> keeps a <c>Content-Type</c> set as a header, if any. A HEAD request gets the
    /// head alone; 204 and 304 never carry a body.
    /// </summary>
    public async Task WriteAsync(ReadOnlyMemory<byte> body, string? contentType, CancellationToken cancellationToken = default)
    {
        Start(State.Written);
        bool bodyAllowed = StatusLines.AllowsBody(_statusCode);
        bool sendBody = bodyAllowed && _request.Method != "HEAD" && !body.IsEmpty;
        using var output = new PooledBufferWriter(512 + (sendBody && body.Length <= CoalesceLimit ? body.Length : 0));
        WriteHead(output, contentType, bodyAllowed ? Framing.ContentLength : Framing.None, body.Length);
        if (sendBody && body.Length <= CoalesceLimit)
        {
            output.Write(body.Span);
            await _connection.Transport.WriteAsync(output.WrittenMemory, cancellationToken).ConfigureAwait(false);
            return;
        }
        await _connection.Transport.WriteAsync(output.WrittenMemory, cancellationToken).ConfigureAwait(false);
        if (sendBody)
            await _connection.Transport.WriteAsync(body, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends <paramref name="length"/> bytes read from <paramref name="body"/> with their <c>Content-Length</c> (blobs:
    /// the client sees the size and can resume with a range): a file to a plain socket by sendfile, anything else
    /// copied through one pooled buffer. A HEAD request gets
    /// the head alone. A body that ends early is an <see cref="IOException"/>: the connection is then cut, so the
    /// client sees a truncated response, never a wrong one.
    /// </summary>
    public async Task WriteStreamAsync(Stream body, long length, string? contentType, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Start(State.Written);
        bool bodyAllowed = StatusLines.AllowsBody(_statusCode);
        using (var head = new PooledBufferWriter(512))
        {
            WriteHead(head, contentType, bodyAllowed ? Framing.ContentLength : Framing.None, length);
            await _connection.Transport.WriteAsync(head.WrittenMemory, cancellationToken).ConfigureAwait(false);
        }
        if (!bodyAllowed || _request.Method == "HEAD")
            return;
        if (body is FileStream { IsAsync: true } file && _connection.Transport is System.Net.Sockets.NetworkStream network && IsRemote(network.Socket))
        {
            // A file to a remote peer: sendfile(2), the bytes never pass through this process.
            await FileSender.SendAsync(network.Socket, file, file.Position, length).ConfigureAwait(false);
            return;
        }
        byte[] buffer = System.Buffers.ArrayPool<byte>.Shared.Rent((int)Math.Clamp(length, 1, 1 << 17));
        try
        {
            for (long left = length; left > 0;)
            {
                int read = await body.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                    throw new IOException($"the body ended {left} bytes before the {length} announced");
                await _connection.Transport.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                left -= read;
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Whether the peer is on another machine. A local reader (loopback, a unix socket) copies what sendfile hands it
    /// straight from the page cache, cold, on its own core: measured with a CPU-bound reader of a 100 MB blob (skopeo,
    /// a hashing client), it got the bytes 15% slower than from a plain read/write loop, whose writes leave them warm
    /// in the cache the two cores share. Over a network card sendfile wins (no copy at all), so it is kept for those.
    /// </summary>
    static bool IsRemote(System.Net.Sockets.Socket socket)
        => socket.RemoteEndPoint is System.Net.IPEndPoint peer && !System.Net.IPAddress.IsLoopback(peer.Address);

    /// <summary>Sends text, UTF-8 encoded (<c>/_ping</c>'s <c>OK</c>).</summary>
    public Task WriteAsync(string text, string contentType = "text/plain; charset=utf-8", CancellationToken cancellationToken = default) =>
        WriteAsync(Encoding.UTF8.GetBytes(text), contentType, cancellationToken);

    /// <summary>
    /// Sends <paramref name="value"/> as <c>application/json</c>, written as dockerd writes JSON (Go's encoder without
    /// HTML escaping, one value followed by a newline), through source-generated <paramref name="typeInfo"/>.
    /// </summary>
    public async Task WriteJsonAsync<T>(T value, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken = default)
    {
        using var buffer = new PooledBufferWriter(4096);
        SerializeJson(buffer, value, typeInfo);
        await WriteAsync(buffer.WrittenMemory, "application/json", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes <paramref name="value"/> as one line of JSON into <paramref name="buffer"/>: the format of a JSON stream's messages too.</summary>
    internal static void SerializeJson<T>(PooledBufferWriter buffer, T value, JsonTypeInfo<T> typeInfo)
    {
        var writer = t_jsonWriter;
        if (writer is null)
            t_jsonWriter = writer = new Utf8JsonWriter(buffer, JsonOptions);
        else
            writer.Reset(buffer);
        try
        {
            JsonSerializer.Serialize(writer, value, typeInfo);
            writer.Flush();
        }
        finally
        {
            writer.Reset();
        }
        buffer.Write("\n"u8);
    }

    /// <summary>Docker's error body, <c>{"message":"..."}</c>, with <paramref name="statusCode"/>.</summary>
    public async Task WriteErrorAsync(int statusCode, string message, CancellationToken cancellationToken = default)
    {
        StatusCode = statusCode;
        using var buffer = new PooledBufferWriter(256);
        using (var writer = new Utf8JsonWriter(buffer, JsonOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("message"u8, message);
            writer.WriteEndObject();
        }
        buffer.Write("\n"u8);
        await WriteAsync(buffer.WrittenMemory, "application/json", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends the head now and returns the body as a stream for a response of unknown length (events, logs with
    /// follow, stats, progress): chunked, and on HTTP/1.0 delimited by closing the connection. Every write reaches the
    /// client when it completes; writes are serialized, so several producers may share the stream. Disposing it ends
    /// the response; if the handler returns first, the server ends it.
    /// </summary>
    public async Task<Stream> StartStreamAsync(string contentType, CancellationToken cancellationToken = default)
    {
        Start(State.Streaming);
        bool body = StatusLines.AllowsBody(_statusCode) && _request.Method != "HEAD";
        bool chunked = body && _request.MinorVersion >= 1;
        if (body && !chunked)
            _closeConnection = true; // HTTP/1.0: the body ends where the connection does
        using var output = new PooledBufferWriter(512);
        WriteHead(output, contentType, chunked ? Framing.Chunked : Framing.None, 0);
        await _connection.Transport.WriteAsync(output.WrittenMemory, cancellationToken).ConfigureAwait(false);
        _stream = new ResponseBodyStream(_connection,
            chunked ? ResponseBodyStream.Mode.Chunked : body ? ResponseBodyStream.Mode.UntilClose : ResponseBodyStream.Mode.Discard);
        return _stream;
    }

    /// <summary>
    /// Takes over the connection as dockerd does for attach and exec start. With an <c>Upgrade</c> header in the
    /// request: <c>HTTP/1.1 101 UPGRADED</c>, <c>Content-Type</c> (unless null), <c>Connection: Upgrade</c> and the
    /// request's <c>Upgrade</c> echoed; without: <c>HTTP/1.1 200 OK</c> with
    /// <c>Content-Type: application/vnd.docker.raw-stream</c> whatever <paramref name="contentType"/> says, as dockerd.
    /// Then the headers set so far, no <c>Date</c>. The rest of the request body is drained first; a body too large
    /// to drain is an <see cref="InvalidOperationException"/>. The connection closes when the stream is disposed or the
    /// handler returns.
    /// </summary>
    public async Task<HijackedStream> HijackAsync(string? contentType = RawStreamContentType, CancellationToken cancellationToken = default)
    {
        EnsureNotStarted();
        if (_request.BodyReader is { IsComplete: false } body
            && !await body.DrainAsync(RequestBodyStream.DrainLimit, cancellationToken).ConfigureAwait(false))
            throw new InvalidOperationException("the request body is too large to drain before hijacking the connection");
        Start(State.Hijacked);
        _connection.MarkHijacked();
        using var output = new PooledBufferWriter(512);
        if (_request.WantsUpgrade)
        {
            output.Write("HTTP/1.1 101 UPGRADED\r\n"u8);
            if (contentType is not null)
                WriteField(output, "Content-Type", contentType);
            output.Write("Connection: Upgrade\r\n"u8);
            WriteField(output, "Upgrade", _request.Upgrade!);
        }
        else
        {
            output.Write("HTTP/1.1 200 OK\r\nContent-Type: application/vnd.docker.raw-stream\r\n"u8);
        }
        WriteHandlerHeaders(output, skipContentType: true, skipUpgrade: true);
        output.Write("\r\n"u8);
        await _connection.Transport.WriteAsync(output.WrittenMemory, cancellationToken).ConfigureAwait(false);
        return new HijackedStream(_connection);
    }

    /// <summary>Ends what the handler left: an unstarted response goes out empty, an open stream gets its end. True: keep the connection.</summary>
    internal async ValueTask<bool> FinishAsync()
    {
        switch (_state)
        {
            case State.NotStarted:
                await WriteAsync(ReadOnlyMemory<byte>.Empty, null).ConfigureAwait(false);
                break;
            case State.Streaming:
                if (!await _stream!.CompleteAsync().ConfigureAwait(false))
                    return false;
                break;
            case State.Hijacked:
                return false;
        }
        return !_closeConnection;
    }

    /// <summary>Before the server answers a failed handler: headers about the failed body go, the connection may have to.</summary>
    internal void PrepareErrorResponse(bool closeConnection)
    {
        RemoveHeader("Content-Type");
        RemoveHeader("Content-Disposition");
        _closeConnection |= closeConnection;
    }

    enum Framing { None, ContentLength, Chunked }

    void Start(State state)
    {
        EnsureNotStarted();
        _state = state;
    }

    void EnsureNotStarted()
    {
        if (_state != State.NotStarted)
            throw new InvalidOperationException("the response has already started");
    }

    void WriteHead(PooledBufferWriter output, string? contentType, Framing framing, long contentLength)
    {
        _closeConnection |= !_request.KeepAlive
            || _connection.Server.IsStopping
            || GetHeader("Connection") is { } connection && connection.Contains("close", StringComparison.OrdinalIgnoreCase)
            // Go: a client still waiting for 100 Continue has not sent its body; it cannot be skipped to the next request.
            || _request.BodyReader is { IsComplete: false, ContinueSettled: false };
        output.Write(StatusLines.Get(_statusCode));
        WriteHandlerHeaders(output, skipContentType: contentType is not null, skipUpgrade: false);
        if (contentType is not null)
            WriteField(output, "Content-Type", contentType);
        if (GetHeader("Date") is null)
            output.Write(HttpDate.HeaderLine);
        if (framing == Framing.ContentLength)
        {
            output.Write("Content-Length: "u8);
            var span = output.GetSpan(20);
            contentLength.TryFormat(span, out int written);
            output.Advance(written);
            output.Write("\r\n"u8);
        }
        else if (framing == Framing.Chunked)
        {
            output.Write("Transfer-Encoding: chunked\r\n"u8);
        }
        if (_closeConnection)
            output.Write("Connection: close\r\n"u8);
        else if (_request.MinorVersion == 0)
            output.Write("Connection: keep-alive\r\n"u8);
        output.Write("\r\n"u8);
    }

    void WriteHandlerHeaders(PooledBufferWriter output, bool skipContentType, bool skipUpgrade)
    {
        if (_headers is null)
            return;
        foreach (var (name, value) in _headers)
        {
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)
                || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)
                || name.Equals("Connection", StringComparison.OrdinalIgnoreCase)
                || (skipContentType && name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
                || (skipUpgrade && name.Equals("Upgrade", StringComparison.OrdinalIgnoreCase)))
                continue;
            WriteField(output, name, value);
        }
    }

    static void WriteField(PooledBufferWriter output, string name, string value)
    {
        var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(name.Length + value.Length) + 4);
        int n = Encoding.UTF8.GetBytes(name, span);
        span[n++] = (byte)':';
        span[n++] = (byte)' ';
        n += Encoding.UTF8.GetBytes(value, span[n..]);
        span[n++] = (byte)'\r';
        span[n++] = (byte)'\n';
        output.Advance(n);
    }

    static void ValidateField(string name, string value)
    {
        if (name.Length == 0 || name.AsSpan().ContainsAny(" \t\r\n:") || name.AsSpan().ContainsAnyInRange('\0', '\x1f'))
            throw new ArgumentException($"invalid header name \"{name}\"", nameof(name));
        if (value.AsSpan().ContainsAny('\r', '\n', '\0'))
            throw new ArgumentException($"the value of header {name} contains a line break or NUL", nameof(value));
    }
}
