namespace Berth.Http;

/// <summary>
/// Maps a method and a path template to a handler, as dockerd's router does: an optional <c>/v{major}.{minor}</c>
/// prefix is taken off into <see cref="HttpContext.ApiVersion"/> and the rest matched against the templates (exact
/// paths first, then templates in the order mapped); no match answers 404 <c>{"message":"page not found"}</c>, also
/// for a path that exists under another method, as dockerd does. HEAD falls back to the GET route, the server then
/// sends the head alone. Map everything before serving: the tables are not locked.
/// Other protocols (the registry's <c>/v2/</c>) turn the version prefix off and answer unknown paths their own way.
/// </summary>
public sealed class Router(bool versionPrefix = true, RequestHandler? notFound = null)
{
    sealed class MethodRoutes
    {
        public readonly Dictionary<string, RouteTemplate> Exact = new(StringComparer.Ordinal);
        public readonly List<RouteTemplate> Templates = [];
    }

    readonly Dictionary<string, MethodRoutes> _methods = new(StringComparer.Ordinal);

    /// <summary>Maps <paramref name="template"/> (<c>/containers/{id}/json</c>, <c>/images/{name*}/json</c>, <c>/_ping</c>) under <paramref name="method"/>.</summary>
    public void Map(string method, string template, RequestHandler handler)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentNullException.ThrowIfNull(handler);
        var route = RouteTemplate.Parse(template, handler);
        if (!_methods.TryGetValue(method, out var routes))
            _methods[method] = routes = new MethodRoutes();
        if (routes.Exact.ContainsKey(template) || routes.Templates.Exists(t => t.Text == template))
            throw new ArgumentException($"{method} {template} is mapped twice", nameof(template));
        if (route.IsLiteral)
            routes.Exact[template] = route;
        else
            routes.Templates.Add(route);
    }

    /// <summary>Dispatches to the matching route's handler; usable as the server's <see cref="RequestHandler"/>.</summary>
    public Task DispatchAsync(HttpContext context)
    {
        string path = context.Request.Path;
        int routed = versionPrefix ? VersionPrefixLength(path) : 0;
        if (routed > 0)
            context.ApiVersion = path[2..routed];
        var routedPath = path.AsSpan(routed);
        string method = context.Request.Method;
        var route = Find(method, routedPath) ?? (method == "HEAD" ? Find("GET", routedPath) : null);
        if (route is null)
            return (notFound ?? NotFoundAsync)(context);
        if (!route.IsLiteral)
            Match(route, routedPath, context.RouteValues);
        return route.Handler(context);
    }

    /// <summary>dockerd's answer to an unknown path or method.</summary>
    public static Task NotFoundAsync(HttpContext context) => context.Response.WriteErrorAsync(404, "page not found");

    /// <summary>The length of a <c>/v1.45</c> prefix followed by more path, or 0.</summary>
    internal static int VersionPrefixLength(ReadOnlySpan<char> path)
    {
        if (path.Length < 4 || path[0] != '/' || path[1] != 'v')
            return 0;
        int i = 2;
        while (i < path.Length && (char.IsAsciiDigit(path[i]) || path[i] == '.'))
            i++;
        return i > 2 && i < path.Length && path[i] == '/' ? i : 0;
    }

    RouteTemplate? Find(string method, ReadOnlySpan<char> path)
    {
        if (!_methods.TryGetValue(method, out var routes))
            return null;
        if (routes.Exact.Count > 0 && routes.Exact.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(path, out var exact))
            return exact;
        if (routes.Templates.Count == 0 || path.IsEmpty || path[0] != '/')
            return null;
        var rest = path[1..];
        int count = rest.Count('/') + 1;
        Span<Range> parts = count <= 32 ? stackalloc Range[count] : new Range[count];
        rest.Split(parts, '/');
        foreach (var template in routes.Templates)
        {
            if (template.TryMatch(rest, parts, values: null))
                return template;
        }
        return null;
    }

    static void Match(RouteTemplate route, ReadOnlySpan<char> path, IDictionary<string, string> values)
    {
        var rest = path[1..];
        int count = rest.Count('/') + 1;
        Span<Range> parts = count <= 32 ? stackalloc Range[count] : new Range[count];
        rest.Split(parts, '/');
        route.TryMatch(rest, parts, values);
    }
}
