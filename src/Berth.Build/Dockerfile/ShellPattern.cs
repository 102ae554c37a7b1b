namespace Berth.Build.Dockerfile;

/// <summary>
/// A shell glob of the pattern substitutions (<c>${v#glob}</c>, <c>${v%glob}</c>, <c>${v/glob/text}</c>): <c>*</c>,
/// <c>?</c>, bracket classes (<c>[a-z]</c>, <c>[!x]</c>, <c>[^x]</c>) and the escape token before a character that
/// makes it literal. A <c>[</c> without its <c>]</c> is literal, as buildkit reads it.
/// </summary>
internal sealed class ShellPattern
{
    enum Kind { Literal, Any, Star, Class }

    readonly record struct Token(Kind Kind, char Char = '\0', string? Set = null, bool Negated = false)
    {
        public bool Matches(char c) => Kind switch
        {
            Kind.Literal => c == Char,
            Kind.Any => true,
            _ => InSet(c) != Negated,
        };

        bool InSet(char c)
        {
            string set = Set!;
            for (int i = 0; i < set.Length; i++)
            {
                if (i + 2 < set.Length && set[i + 1] == '-')
                {
                    if (c >= set[i] && c <= set[i + 2])
                        return true;
                    i += 2;
                }
                else if (set[i] == c)
                {
                    return true;
                }
            }
            return false;
        }
    }

    readonly List<Token> _tokens;

    ShellPattern(List<Token> tokens) => _tokens = tokens;

    public static ShellPattern Parse(string pattern, char escape)
    {
        List<Token> tokens = [];
        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            if (c == escape && i + 1 < pattern.Length)
            {
                tokens.Add(new Token(Kind.Literal, pattern[++i]));
                continue;
            }
            if (c == '*')
            {
                tokens.Add(new Token(Kind.Star));
                continue;
            }
            if (c == '?')
            {
                tokens.Add(new Token(Kind.Any));
                continue;
            }
            if (c == '[')
            {
                int start = i + 1;
                bool negated = start < pattern.Length && pattern[start] is '!' or '^';
                if (negated)
                    start++;
                // A ] right after the opening is a member, not the end.
                int from = Math.Min(start < pattern.Length && pattern[start] == ']' ? start + 1 : start, pattern.Length);
                int close = pattern.IndexOf(']', from);
                if (close >= 0)
                {
                    tokens.Add(new Token(Kind.Class, Set: pattern[start..close], Negated: negated));
                    i = close;
                    continue;
                }
            }
            tokens.Add(new Token(Kind.Literal, c));
        }
        return new ShellPattern(tokens);
    }

    /// <summary>Whether the whole of <paramref name="text"/>[start..end) matches.</summary>
    bool Matches(string text, int start, int end)
    {
        // Classic iterative glob match with one backtrack point for the last star.
        int t = 0, s = start, starT = -1, starS = -1;
        while (s < end)
        {
            if (t < _tokens.Count && _tokens[t].Kind == Kind.Star)
            {
                starT = t++;
                starS = s;
            }
            else if (t < _tokens.Count && _tokens[t].Matches(text[s]))
            {
                t++;
                s++;
            }
            else if (starT >= 0)
            {
                t = starT + 1;
                s = ++starS;
            }
            else
            {
                return false;
            }
        }
        while (t < _tokens.Count && _tokens[t].Kind == Kind.Star)
            t++;
        return t == _tokens.Count;
    }

    /// <summary><c>${v#p}</c> (shortest) and <c>${v##p}</c> (longest): the value without the matching prefix.</summary>
    public string TrimPrefix(string value, bool greedy)
    {
        if (greedy)
        {
            for (int end = value.Length; end >= 0; end--)
            {
                if (Matches(value, 0, end))
                    return value[end..];
            }
        }
        else
        {
            for (int end = 0; end <= value.Length; end++)
            {
                if (Matches(value, 0, end))
                    return value[end..];
            }
        }
        return value;
    }

    /// <summary><c>${v%s}</c> (shortest) and <c>${v%%s}</c> (longest): the value without the matching suffix.</summary>
    public string TrimSuffix(string value, bool greedy)
    {
        if (greedy)
        {
            for (int start = 0; start <= value.Length; start++)
            {
                if (Matches(value, start, value.Length))
                    return value[..start];
            }
        }
        else
        {
            for (int start = value.Length; start >= 0; start--)
            {
                if (Matches(value, start, value.Length))
                    return value[..start];
            }
        }
        return value;
    }

    /// <summary><c>${v/p/r}</c> (the first, longest match) and <c>${v//p/r}</c> (every match, left to right).</summary>
    public string Replace(string value, string replacement, bool all)
    {
        System.Text.StringBuilder result = new();
        int pos = 0;
        bool replaced = false;
        while (pos <= value.Length && (all || !replaced))
        {
            int matchEnd = -1;
            for (int end = value.Length; end >= pos; end--)
            {
                if (Matches(value, pos, end))
                {
                    matchEnd = end;
                    break;
                }
            }
            if (matchEnd < 0)
            {
                if (pos < value.Length)
                    result.Append(value[pos]);
                pos++;
                continue;
            }
            result.Append(replacement);
            replaced = true;
            if (matchEnd == pos)
            {
                // An empty match: keep the character and move on (Go's ReplaceAllString does the same).
                if (pos < value.Length)
                    result.Append(value[pos]);
                pos++;
            }
            else
            {
                pos = matchEnd;
            }
        }
        if (pos < value.Length)
            result.Append(value, pos, value.Length - pos);
        return result.ToString();
    }
}
