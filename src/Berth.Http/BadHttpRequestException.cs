namespace Berth.Http;

/// <summary>
/// A request that breaks HTTP/1.1 framing (a malformed head, chunk or length). The connection answers with
/// <see cref="StatusCode"/> and the message in plain text, as Go's net/http does, and closes: after a framing error
/// nothing on the connection can be trusted.
/// </summary>
public sealed class BadHttpRequestException : IOException
{
    public BadHttpRequestException(int statusCode, string message)
        : base(message) => StatusCode = statusCode;

    public int StatusCode { get; }

    internal static BadHttpRequestException BadRequest(string message) => new(400, message);
}
