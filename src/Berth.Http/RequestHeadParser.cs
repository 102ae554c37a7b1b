using System.Buffers;
using System.Text;

namespace Berth.Http;

/// <summary>
/// Parses a request head (request line and header fields) as Go's net/http accepts it: CRLF or bare LF line ends,
/// token method and names, no obsolete line folding, no control characters in values, one consistent
/// <c>Content-Length</c>, <c>chunked</c> as the only transfer coding, and not both. Errors are
/// <see cref="BadHttpRequestException"/> with the status Go answers.
/// </summary>
internal static class RequestHeadParser
{
    /// <summary>Go's <c>http.DefaultMaxHeaderBytes</c>: request line and header fields together.</summary>
    public const int MaxHeadBytes = 1 << 20;

    static readonly SearchValues<byte> TokenBytes =
        SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    static readonly SearchValues<byte> InvalidValueBytes = SearchValues.Create(
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 127]);

    static readonly SearchValues<byte> InvalidTargetBytes = SearchValues.Create(
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 127]);

    /// <summary>Where the search for the empty line that ends a head left off, kept across reads of a slow client.</summary>
    public struct Scan
    {
        public long Offset;
        public int State; // 0: inside a line, 1: after LF, 2: after LF CR
    }

    /// <summary>Finds the end of the head (just past its empty line) in what has arrived so far.</summary>
    public static bool TryFindEnd(in ReadOnlySequence<byte> buffer, ref Scan scan, out long headLength)
    {
        long offset = scan.Offset;
        foreach (var memory in buffer.Slice(scan.Offset))
        {
            var span = memory.Span;
            int i = 0;
            while (i < span.Length)
            {
                if (scan.State == 0)
                {
                    int lf = span[i..].IndexOf((byte)'\n');
                    if (lf < 0)
                    {
                        i = span.Length;
                        break;
                    }
                    i += lf + 1;
                    scan.State = 1;
                    continue;
                }
                byte b = span[i++];
                if (b == '\n')
                {
                    headLength = offset + i;
                    scan = default;
                    return true;
                }
                scan.State = b == '\r' && scan.State == 1 ? 2 : 0;
            }
            offset += span.Length;
        }
        scan.Offset = offset;
        headLength = 0;
        return false;
    }

    /// <summary>Parses a whole head, its final empty line included.</summary>
    public static HttpRequest Parse(ReadOnlySpan<byte> head)
    {
        int lf = head.IndexOf((byte)'\n');
        var requestLine = WithoutCr(head[..lf]);
        var rest = head[(lf + 1)..];

        int sp1 = requestLine.IndexOf((byte)' ');
        if (sp1 <= 0)
            throw BadHttpRequestException.BadRequest("malformed HTTP request");
        int sp2 = requestLine[(sp1 + 1)..].IndexOf((byte)' ');
        if (sp2 < 0)
            throw BadHttpRequestException.BadRequest("malformed HTTP request");
        var method = requestLine[..sp1];
        var target = requestLine.Slice(sp1 + 1, sp2);
        var version = requestLine[(sp1 + 1 + sp2 + 1)..];
        if (method.IndexOfAnyExcept(TokenBytes) >= 0)
            throw BadHttpRequestException.BadRequest("invalid method");
        int minor = ParseVersion(version);
        if (target.IsEmpty || target.IndexOfAny(InvalidTargetBytes) >= 0)
            throw BadHttpRequestException.BadRequest("invalid request target");

        var headers = new HeaderCollection();
        var framing = new RequestFraming();
        while (true)
        {
            lf = rest.IndexOf((byte)'\n');
            var line = WithoutCr(rest[..lf]);
            rest = rest[(lf + 1)..];
            if (line.IsEmpty)
                break;
            ParseField(line, headers, ref framing);
        }
        if (framing.Chunked && framing.ContentLength is not null)
            throw BadHttpRequestException.BadRequest("both Transfer-Encoding and Content-Length");

        SplitTarget(target, out var rawPath, out var rawQuery);
        if (!UrlDecoding.TryDecodePath(rawPath, out string path))
            throw BadHttpRequestException.BadRequest("invalid URL escape in path");
        var query = rawQuery.IsEmpty ? QueryString.Empty : new QueryString(rawQuery.ToArray());
        return new HttpRequest(Method(method), Encoding.UTF8.GetString(target), path, query, headers, minor, framing);
    }

    static ReadOnlySpan<byte> WithoutCr(ReadOnlySpan<byte> line) => line.EndsWith((byte)'\r') ? line[..^1] : line;

    static int ParseVersion(ReadOnlySpan<byte> version)
    {
        if (version.SequenceEqual("HTTP/1.1"u8))
            return 1;
        if (version.SequenceEqual("HTTP/1.0"u8))
            return 0;
        if (version.Length == 8 && version.StartsWith("HTTP/"u8) && char.IsAsciiDigit((char)version[5])
            && version[6] == '.' && char.IsAsciiDigit((char)version[7]))
            throw new BadHttpRequestException(505, "unsupported protocol version");
        throw BadHttpRequestException.BadRequest("malformed HTTP version");
    }

    static void SplitTarget(ReadOnlySpan<byte> target, out ReadOnlySpan<byte> path, out ReadOnlySpan<byte> query)
    {
        if (target[0] != '/' && !(target.Length == 1 && target[0] == '*'))
        {
            // absolute-form (a proxy's habit): keep what follows the authority.
            int scheme = target.IndexOf("://"u8);
            if (scheme <= 0)
                throw BadHttpRequestException.BadRequest("invalid request target");
            var afterScheme = target[(scheme + 3)..];
            int slash = afterScheme.IndexOfAny((byte)'/', (byte)'?');
            target = slash < 0 ? "/"u8 : afterScheme[slash..];
            if (target[0] == '?')
            {
                path = "/"u8;
                query = target[1..];
                return;
            }
        }
        int q = target.IndexOf((byte)'?');
        path = q < 0 ? target : target[..q];
        query = q < 0 ? default : target[(q + 1)..];
    }

    static void ParseField(ReadOnlySpan<byte> line, HeaderCollection headers, ref RequestFraming framing)
    {
        if (line[0] is (byte)' ' or (byte)'\t')
            throw BadHttpRequestException.BadRequest("obsolete line folding in header");
        int colon = line.IndexOf((byte)':');
        if (colon <= 0)
            throw BadHttpRequestException.BadRequest("malformed header line");
        var name = line[..colon];
        if (name.IndexOfAnyExcept(TokenBytes) >= 0)
            throw BadHttpRequestException.BadRequest("invalid header name");
        var value = line[(colon + 1)..].Trim(" \t"u8);
        if (value.IndexOfAny(InvalidValueBytes) >= 0)
            throw BadHttpRequestException.BadRequest("invalid header value");

        string nameString = KnownHeaderName(name) ?? Encoding.ASCII.GetString(name);
        string valueString = Encoding.UTF8.GetString(value);
        headers.Add(nameString, valueString);

        if (Ascii.EqualsIgnoreCase(name, "Content-Length"u8))
        {
            long length = ParseContentLength(value);
            if (framing.ContentLength is { } previous && previous != length)
                throw BadHttpRequestException.BadRequest("conflicting Content-Length headers");
            framing.ContentLength = length;
        }
        else if (Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8))
        {
            // Go's net/http: chunked is the only coding a request may use, once.
            if (framing.Chunked || !Ascii.EqualsIgnoreCase(value, "chunked"u8))
                throw new BadHttpRequestException(501, "unsupported transfer encoding");
            framing.Chunked = true;
        }
        else if (Ascii.EqualsIgnoreCase(name, "Connection"u8))
        {
            foreach (var range in value.Split((byte)','))
            {
                var token = value[range].Trim(" \t"u8);
                if (Ascii.EqualsIgnoreCase(token, "close"u8))
                    framing.ConnectionClose = true;
                else if (Ascii.EqualsIgnoreCase(token, "keep-alive"u8))
                    framing.ConnectionKeepAlive = true;
            }
        }
        else if (Ascii.EqualsIgnoreCase(name, "Upgrade"u8))
        {
            framing.Upgrade ??= valueString;
        }
        else if (Ascii.EqualsIgnoreCase(name, "Expect"u8))
        {
            if (!Ascii.EqualsIgnoreCase(value, "100-continue"u8))
                throw new BadHttpRequestException(417, "unsupported Expect header");
            framing.ExpectContinue = true;
        }
    }

    static long ParseContentLength(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty || value.Length > 18 || value.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0)
            throw BadHttpRequestException.BadRequest("invalid Content-Length");
        long length = 0;
        foreach (byte digit in value)
            length = length * 10 + (digit - '0');
        return length;
    }

    static string Method(ReadOnlySpan<byte> method) => method switch
    {
        _ when method.SequenceEqual("GET"u8) => "GET",
        _ when method.SequenceEqual("POST"u8) => "POST",
        _ when method.SequenceEqual("HEAD"u8) => "HEAD",
        _ when method.SequenceEqual("PUT"u8) => "PUT",
        _ when method.SequenceEqual("DELETE"u8) => "DELETE",
        _ when method.SequenceEqual("OPTIONS"u8) => "OPTIONS",
        _ => Encoding.ASCII.GetString(method),
    };

    static readonly (byte[] Utf8, string Name)[] KnownNames =
        [.. new[]
        {
            "Host", "User-Agent", "Accept", "Accept-Encoding", "Content-Type", "Content-Length", "Transfer-Encoding",
            "Connection", "Upgrade", "Expect", "X-Registry-Auth", "X-Registry-Config", "Authorization", "Date",
        }.Select(name => (Encoding.ASCII.GetBytes(name), name))];

    /// <summary>The shared string for a common header name spelled the usual way, so that most heads allocate no names.</summary>
    static string? KnownHeaderName(ReadOnlySpan<byte> name)
    {
        foreach (var (utf8, known) in KnownNames)
        {
            if (utf8.Length == name.Length && name.SequenceEqual(utf8))
                return known;
        }
        return null;
    }
}
