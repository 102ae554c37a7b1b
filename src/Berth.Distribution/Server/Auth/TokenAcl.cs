namespace Berth.Distribution.Server.Auth;

/// <summary>
/// Who may get which scopes from the token endpoint: one rule per line, <c>account pattern actions</c>, where account
/// is a user of the htpasswd file or <c>*</c> (anyone, also anonymous), pattern a repository name with <c>*</c>
/// matching any run of characters (or <c>catalog</c> for the registry's catalog), actions a comma list of
/// <c>pull</c>, <c>push</c>, <c>delete</c> or <c>*</c>. Everything not granted is refused.
/// <code>
/// *      public/*   pull
/// alice  *          pull,push,delete
/// </code>
/// </summary>
public sealed class TokenAcl
{
    sealed record Rule(string Account, string Pattern, string[] Actions);

    readonly List<Rule> _rules = [];

    public static TokenAcl Parse(string text, string source = "token ACL")
    {
        var acl = new TokenAcl();
        string[] lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            string[] fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length != 3)
                throw new FormatException($"{source}:{i + 1}: expected \"account pattern actions\", got \"{line}\"");
            acl._rules.Add(new Rule(fields[0], fields[1], fields[2].Split(',', StringSplitOptions.RemoveEmptyEntries)));
        }
        return acl;
    }

    /// <summary>What of <paramref name="requested"/> <paramref name="account"/> (null: anonymous) is granted; null when nothing is.</summary>
    public RegistryAccess? Grant(string? account, RegistryAccess requested)
    {
        var granted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rule in _rules)
        {
            if (rule.Account != "*" && rule.Account != account)
                continue;
            bool matches = requested.Type == "registry"
                ? requested.Name == "catalog" && rule.Pattern == "catalog"
                : requested.Type == "repository" && rule.Pattern != "catalog" && Glob(rule.Pattern, requested.Name);
            if (!matches)
                continue;
            foreach (string action in requested.Actions)
            {
                if (rule.Actions.Contains("*") || rule.Actions.Contains(action))
                    granted.Add(action);
            }
        }
        return granted.Count == 0 ? null : requested with { Actions = [.. requested.Actions.Where(granted.Contains)] };
    }

    /// <summary><c>*</c> matches any run of characters, slashes included; everything else itself.</summary>
    internal static bool Glob(string pattern, string text)
    {
        int p = 0, t = 0, star = -1, mark = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = t;
            }
            else if (p < pattern.Length && pattern[p] == text[t])
            {
                p++;
                t++;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++mark;
            }
            else
            {
                return false;
            }
        }
        while (p < pattern.Length && pattern[p] == '*')
            p++;
        return p == pattern.Length;
    }
}
