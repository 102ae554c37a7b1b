namespace Berth.Http;

/// <summary>
/// A path template: literal segments, <c>{name}</c> for one non-empty segment and at most one <c>{name*}</c> for one or
/// more segments with their slashes (dockerd's <c>{name:.*}</c>, for image references), greedy like its regular expression.
/// </summary>
internal sealed class RouteTemplate
{
    enum Kind { Literal, Parameter, CatchAll }

    readonly record struct Segment(Kind Kind, string Text);

    readonly Segment[] _segments;
    readonly int _catchAll;

    RouteTemplate(string text, Segment[] segments, int catchAll, RequestHandler handler)
    {
        Text = text;
        _segments = segments;
        _catchAll = catchAll;
        Handler = handler;
    }

    public string Text { get; }

    public RequestHandler Handler { get; }

    /// <summary>Only literal segments: the template matches one path exactly.</summary>
    public bool IsLiteral => Array.TrueForAll(_segments, s => s.Kind == Kind.Literal);

    public static RouteTemplate Parse(string template, RequestHandler handler)
    {
        if (!template.StartsWith('/'))
            throw new ArgumentException($"route template \"{template}\" does not start with /", nameof(template));
        string[] parts = template[1..].Split('/');
        var segments = new Segment[parts.Length];
        int catchAll = -1;
        for (int i = 0; i < parts.Length; i++)
        {
            string part = parts[i];
            if (part.StartsWith('{') && part.EndsWith('}'))
            {
                bool star = part.EndsWith("*}", StringComparison.Ordinal);
                string name = part[1..^(star ? 2 : 1)];
                if (name.Length == 0 || name.AsSpan().ContainsAny("{}*/"))
                    throw new ArgumentException($"route template \"{template}\" has an invalid parameter \"{part}\"", nameof(template));
                if (star)
                {
                    if (catchAll >= 0)
                        throw new ArgumentException($"route template \"{template}\" has more than one {{name*}} parameter", nameof(template));
                    catchAll = i;
                }
                segments[i] = new Segment(star ? Kind.CatchAll : Kind.Parameter, name);
            }
            else
            {
                if (part.AsSpan().ContainsAny("{}"))
                    throw new ArgumentException($"route template \"{template}\" has a malformed segment \"{part}\"", nameof(template));
                segments[i] = new Segment(Kind.Literal, part);
            }
        }
        return new RouteTemplate(template, segments, catchAll, handler);
    }

    /// <summary>
    /// Matches a path (after its leading slash) split into <paramref name="parts"/>; on success fills
    /// <paramref name="values"/> when given.
    /// </summary>
    public bool TryMatch(ReadOnlySpan<char> path, ReadOnlySpan<Range> parts, IDictionary<string, string>? values)
    {
        if (_catchAll < 0)
        {
            if (parts.Length != _segments.Length)
                return false;
            for (int i = 0; i < parts.Length; i++)
            {
                if (!Matches(_segments[i], path[parts[i]]))
                    return false;
            }
            if (values is not null)
                Capture(path, parts, 0, parts.Length, 0, values);
            return true;
        }

        int after = _segments.Length - _catchAll - 1;
        if (parts.Length < _segments.Length)
            return false;
        for (int i = 0; i < _catchAll; i++)
        {
            if (!Matches(_segments[i], path[parts[i]]))
                return false;
        }
        int tail = parts.Length - after;
        for (int i = 0; i < after; i++)
        {
            if (!Matches(_segments[_catchAll + 1 + i], path[parts[tail + i]]))
                return false;
        }
        var rest = CatchAllValue(path, parts, tail);
        if (rest.IsEmpty)
            return false;
        if (values is not null)
        {
            Capture(path, parts, 0, _catchAll, 0, values);
            values[_segments[_catchAll].Text] = rest.ToString();
            Capture(path, parts, tail, after, _catchAll + 1, values);
        }
        return true;
    }

    ReadOnlySpan<char> CatchAllValue(ReadOnlySpan<char> path, ReadOnlySpan<Range> parts, int tail)
    {
        int start = parts[_catchAll].Start.GetOffset(path.Length);
        int end = parts[tail - 1].End.GetOffset(path.Length);
        return path[start..end];
    }

    static bool Matches(in Segment segment, ReadOnlySpan<char> part) => segment.Kind switch
    {
        Kind.Literal => part.SequenceEqual(segment.Text),
        _ => !part.IsEmpty,
    };

    void Capture(ReadOnlySpan<char> path, ReadOnlySpan<Range> parts, int firstPart, int count, int firstSegment, IDictionary<string, string> values)
    {
        for (int i = 0; i < count; i++)
        {
            var segment = _segments[firstSegment + i];
            if (segment.Kind == Kind.Parameter)
                values[segment.Text] = path[parts[firstPart + i]].ToString();
        }
    }
}
