using System.Text;

namespace Berth.Cli.Client;

/// <summary>URL query parameters, encoded as Go's url.Values.Encode does (keys sorted, QueryEscape).</summary>
internal sealed class Query
{
    readonly List<(string Key, string Value)> _pairs = [];

    public Query Add(string key, string value)
    {
        _pairs.Add((key, value));
        return this;
    }

    public Query AddIf(bool condition, string key, string value) => condition ? Add(key, value) : this;

    public Query AddIfNotEmpty(string key, string? value) => string.IsNullOrEmpty(value) ? this : Add(key, value);

    public bool IsEmpty => _pairs.Count == 0;

    public override string ToString()
    {
        var sb = new StringBuilder();
        foreach (var (key, value) in _pairs.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (sb.Length > 0)
                sb.Append('&');
            sb.Append(Escape(key)).Append('=').Append(Escape(value));
        }
        return sb.ToString();
    }

    /// <summary>Go's url.QueryEscape: unreserved bytes kept, space as '+', the rest %XX of UTF-8.</summary>
    public static string Escape(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (byte b in Encoding.UTF8.GetBytes(s))
        {
            char c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~')
                sb.Append(c);
            else if (c == ' ')
                sb.Append('+');
            else
                sb.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    /// <summary>A path segment (a container name or image reference in the path): escaped like Go's url.PathEscape.</summary>
    public static string PathSegment(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (byte b in Encoding.UTF8.GetBytes(s))
        {
            char c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~' or '$' or '&' or '+' or ',' or ':' or ';' or '=' or '@')
                sb.Append(c);
            else
                sb.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }
}
