using System.Buffers;
using System.Text;

namespace Berth.Http;

/// <summary>The request loop: read a head, serve it, finish the response, drain what the handler left, repeat.</summary>
internal sealed partial class HttpConnection
{
    async Task ServeRequestsAsync()
    {
        while (true)
        {
            lock (_gate)
                _idle = true;
            if (_server.IsStopping)
                return;
            HttpRequest? request;
            try
            {
                request = await ReadRequestHeadAsync().ConfigureAwait(false);
            }
            catch (BadHttpRequestException ex)
            {
                await WriteProtocolErrorAsync(ex).ConfigureAwait(false);
                return;
            }
            if (request is null)
                return;
            lock (_gate)
                _idle = false;
            bool keepAlive = await ServeAsync(request).ConfigureAwait(false);
            request.BodyReader?.Detach();
            lock (_gate)
                _requestAborted = null;
            if (!keepAlive)
                return;
        }
    }

    /// <summary>The next request's head, or null when the client closed the connection between requests.</summary>
    async Task<HttpRequest?> ReadRequestHeadAsync()
    {
        var scan = new RequestHeadParser.Scan();
        while (true)
        {
            var result = await Input.ReadAsync().ConfigureAwait(false);
            var buffer = result.Buffer;
            // RFC 9112 section 2.2: empty lines before a request line are ignored (old clients end bodies with one).
            var head = scan.Offset == 0 ? WithoutLeadingLineBreaks(buffer) : buffer;
            // A TLS ClientHello (record type 22) on a plain port: answer at once, as a Go server does when the hello holds a
            // line feed, so that clients trying https first (docker, skopeo) fall back to http without waiting for a timeout.
            if (scan.Offset == 0 && !head.IsEmpty && head.FirstSpan[0] == 0x16)
            {
                Input.AdvanceTo(head.Start, buffer.End);
                throw new BadHttpRequestException(400, "client sent a TLS handshake to an HTTP server");
            }
            if (RequestHeadParser.TryFindEnd(head, ref scan, out long length))
            {
                if (length > RequestHeadParser.MaxHeadBytes)
                {
                    Input.AdvanceTo(head.Start, buffer.End);
                    throw new BadHttpRequestException(431, "Request Header Fields Too Large");
                }
                var complete = head.Slice(0, length);
                try
                {
                    return Parse(complete);
                }
                finally
                {
                    Input.AdvanceTo(complete.End);
                }
            }
            if (head.Length > RequestHeadParser.MaxHeadBytes)
            {
                Input.AdvanceTo(head.Start, buffer.End);
                throw new BadHttpRequestException(431, "Request Header Fields Too Large");
            }
            Input.AdvanceTo(head.Start, buffer.End);
            if (result.IsCompleted)
                return null; // as Go: a head cut short by the client's close gets no answer
        }
    }

    static ReadOnlySequence<byte> WithoutLeadingLineBreaks(ReadOnlySequence<byte> buffer)
    {
        var reader = new SequenceReader<byte>(buffer);
        long skipped = reader.AdvancePastAny((byte)'\r', (byte)'\n');
        return skipped == 0 ? buffer : buffer.Slice(skipped);
    }

    static HttpRequest Parse(ReadOnlySequence<byte> head)
    {
        if (head.IsSingleSegment)
            return RequestHeadParser.Parse(head.FirstSpan);
        byte[] copy = ArrayPool<byte>.Shared.Rent((int)head.Length);
        try
        {
            head.CopyTo(copy);
            return RequestHeadParser.Parse(copy.AsSpan(0, (int)head.Length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }

    /// <summary>Serves one request; true when the connection can carry the next one.</summary>
    async Task<bool> ServeAsync(HttpRequest request)
    {
        RequestBodyStream? body = request.IsChunked
            ? new ChunkedBodyStream(this, request.ExpectContinue)
            : request.ContentLength > 0 ? new ContentLengthBodyStream(this, request.ContentLength.Value, request.ExpectContinue) : null;
        request.BodyReader = body;
        request.Body = body ?? Stream.Null;
        var response = new HttpResponse(this, request);
        _response = response;
        var context = new HttpContext(request, response, this);
        try
        {
            await _server.Handler(context).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            if (!await AnswerFailureAsync(context, ex).ConfigureAwait(false))
                return false;
        }
        if (response.IsHijacked)
            return false;
        if (!await response.FinishAsync().ConfigureAwait(false))
            return false;
        if (body is not null && !body.IsComplete && !await body.DrainAsync(RequestBodyStream.DrainLimit, default).ConfigureAwait(false))
            return false;
        return true;
    }

    /// <summary>
    /// A handler threw: before the response started, the client gets the error (500 with the message, or a framing
    /// error's status); after, the connection is cut, since the response can no longer be ended correctly.
    /// False: close the connection.
    /// </summary>
    async Task<bool> AnswerFailureAsync(HttpContext context, Exception ex)
    {
        var request = context.Request;
        var response = context.Response;
        bool gone;
        lock (_gate)
            gone = _aborted || _inputEnded;
        if (response.HasStarted)
        {
            if (!gone && !response.IsHijacked)
                _server.Log($"{request.Method} {request.RawTarget} failed after its response started: {ex.GetType().Name}: {ex.Message}");
            return false;
        }
        if (gone && (ex is OperationCanceledException || IsDisconnect(ex)))
            return false; // the client left; nobody to answer
        int status = ex is BadHttpRequestException protocol ? protocol.StatusCode : 500;
        if (status == 500)
            _server.Log($"{request.Method} {request.RawTarget}: {ex.GetType().Name}: {ex.Message}");
        try
        {
            response.PrepareErrorResponse(closeConnection: status != 500);
            await response.WriteErrorAsync(status, ex.Message).ConfigureAwait(false);
        }
        catch (Exception)
        {
            return false;
        }
        return true;
    }

    async Task WriteProtocolErrorAsync(BadHttpRequestException ex)
    {
        string text = ex.StatusCode == 431 ? "431 Request Header Fields Too Large" : $"{ex.StatusCode} {StatusLines.Reason(ex.StatusCode)}: {ex.Message}";
        string message = $"{StatusLines.Text(ex.StatusCode)}Content-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n{text}";
        try
        {
            await _transport.WriteAsync(Encoding.UTF8.GetBytes(message)).ConfigureAwait(false);
        }
        catch (Exception writeError) when (IsDisconnect(writeError))
        {
        }
    }

    /// <summary>Answers <c>Expect: 100-continue</c> when the body is first read, unless the response has started.</summary>
    public async ValueTask WriteContinueAsync(CancellationToken cancellationToken)
    {
        if (_response is { HasStarted: false })
            await _transport.WriteAsync(Continue, cancellationToken).ConfigureAwait(false);
    }
}
