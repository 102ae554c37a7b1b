namespace Berth.Http;

/// <summary>One request being served: what came in, what goes out, and what the router found in the path.</summary>
public sealed class HttpContext
{
    readonly HttpConnection _connection;
    CancellationToken? _aborted;
    Dictionary<string, string>? _routeValues;

    internal HttpContext(HttpRequest request, HttpResponse response, HttpConnection connection)
    {
        Request = request;
        Response = response;
        _connection = connection;
    }

    public HttpRequest Request { get; }

    public HttpResponse Response { get; }

    /// <summary>
    /// Cancelled when the client goes away (its side of the connection ends or fails, noticed at once, also while a
    /// response streams) or the server aborts the connection at shutdown. After a hijack the client's half-close is
    /// not an abort: the <see cref="HijackedStream"/> reads end of file instead.
    /// </summary>
    public CancellationToken Aborted => _aborted ??= _connection.RequestAborted;

    /// <summary>The template parameters of the matched route (<c>{id}</c>, <c>{name*}</c>), by name.</summary>
    public IDictionary<string, string> RouteValues => _routeValues ??= new(StringComparer.Ordinal);

    /// <summary>The API version of a <c>/v1.45/...</c> path, without the <c>v</c>; null when the path had none.</summary>
    public string? ApiVersion { get; set; }

    /// <summary>A route parameter the matched template declares.</summary>
    public string RouteValue(string name) =>
        _routeValues is not null && _routeValues.TryGetValue(name, out string? value)
            ? value
            : throw new KeyNotFoundException($"the route of {Request.Path} has no parameter {name}");
}
