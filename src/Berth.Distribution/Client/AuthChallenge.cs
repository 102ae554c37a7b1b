namespace Berth.Distribution.Client;

/// <summary>
/// One challenge of a <c>WWW-Authenticate</c> header (RFC 7235): a scheme (Bearer, Basic) and its parameters,
/// e.g. <c>Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:x:pull"</c>.
/// </summary>
public sealed record AuthChallenge(string Scheme, IReadOnlyDictionary<string, string> Parameters)
{
    public string? Get(string name) => Parameters.TryGetValue(name, out string? value) ? value : null;

    /// <summary>The challenges in the header values, in order; unparsable ones are skipped.</summary>
    public static IReadOnlyList<AuthChallenge> Parse(IEnumerable<string> headerValues)
    {
        var challenges = new List<AuthChallenge>();
        foreach (string header in headerValues)
            ParseOne(header, challenges);
        return challenges;
    }

    static void ParseOne(string header, List<AuthChallenge> into)
    {
        int i = 0;
        while (i < header.Length)
        {
            SkipSpaceAndCommas(header, ref i);
            string scheme = Token(header, ref i);
            if (scheme.Length == 0)
                return;
            var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            while (true)
            {
                int start = i;
                SkipSpaceAndCommas(header, ref i);
                string name = Token(header, ref i);
                if (name.Length == 0 || i >= header.Length || header[i] != '=')
                {
                    i = start; // the next challenge's scheme
                    break;
                }
                i++;
                parameters[name] = header[i..].StartsWith('"') ? Quoted(header, ref i) : Token(header, ref i);
            }
            into.Add(new AuthChallenge(scheme, parameters));
        }
    }

    static void SkipSpaceAndCommas(string s, ref int i)
    {
        while (i < s.Length && (s[i] == ' ' || s[i] == ',' || s[i] == '\t'))
            i++;
    }

    static string Token(string s, ref int i)
    {
        int start = i;
        while (i < s.Length && s[i] is not (' ' or ',' or '=' or '"' or '\t'))
            i++;
        return s[start..i];
    }

    static string Quoted(string s, ref int i)
    {
        var text = new System.Text.StringBuilder();
        i++; // opening quote
        while (i < s.Length && s[i] != '"')
        {
            if (s[i] == '\\' && i + 1 < s.Length)
                i++;
            text.Append(s[i++]);
        }
        i++; // closing quote
        return text.ToString();
    }
}
