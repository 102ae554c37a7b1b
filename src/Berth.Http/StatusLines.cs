using System.Text;

namespace Berth.Http;

/// <summary>Status lines as Go's net/http writes them, encoded once per status code.</summary>
internal static class StatusLines
{
    static readonly byte[]?[] Cache = new byte[600][];

    /// <summary><c>HTTP/1.1 404 Not Found\r\n</c>.</summary>
    public static ReadOnlySpan<byte> Get(int status)
    {
        if ((uint)status >= (uint)Cache.Length)
            return Encoding.ASCII.GetBytes(Text(status));
        return Cache[status] ??= Encoding.ASCII.GetBytes(Text(status));
    }

    public static string Text(int status) =>
        Reason(status) is { Length: > 0 } reason ? $"HTTP/1.1 {status:D3} {reason}\r\n" : $"HTTP/1.1 {status:D3} status code {status}\r\n";

    public static string Reason(int status) => status switch
    {
        100 => "Continue",
        101 => "Switching Protocols",
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        206 => "Partial Content",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        408 => "Request Timeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "Length Required",
        412 => "Precondition Failed",
        413 => "Request Entity Too Large",
        415 => "Unsupported Media Type",
        416 => "Requested Range Not Satisfiable",
        417 => "Expectation Failed",
        422 => "Unprocessable Entity",
        426 => "Upgrade Required",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        505 => "HTTP Version Not Supported",
        _ => "",
    };

    /// <summary>RFC 9110: 1xx, 204 and 304 responses have no body and no length.</summary>
    public static bool AllowsBody(int status) => status is >= 200 and not 204 and not 304;
}
