using System.Text;
using System.Text.RegularExpressions;
using Berth.Images;

namespace Berth.Build.Context;

/// <summary>
/// One pattern of a <see cref="PatternMatcher"/>, matched as moby/patternmatcher matches it: a pattern without
/// wildcards is compared as a whole, one ending in <c>**</c> as a prefix, one starting with <c>**</c> as a suffix,
/// and anything else through a regular expression built the way patternmatcher builds it (<c>*</c> and <c>?</c>
/// stop at "/", <c>**</c> spans directories, <c>[...]</c> and <c>\</c> as in Go).
/// </summary>
public sealed class IgnorePattern
{
    enum Kind { Exact, Prefix, Suffix, Regex }

    readonly Kind _kind;
    readonly Regex? _regex;

    internal IgnorePattern(string cleaned, bool exclusion)
    {
        Cleaned = cleaned;
        Exclusion = exclusion;
        (_kind, string regex) = Compile(cleaned);
        if (_kind == Kind.Regex)
        {
            try
            {
                _regex = new Regex(regex, RegexOptions.CultureInvariant);
            }
            catch (ArgumentException)
            {
                throw new BuildContextException("syntax error in pattern");
            }
        }
    }

    /// <summary>The pattern cleaned, without its "!".</summary>
    public string Cleaned { get; }

    /// <summary>Whether it re-includes ("!pattern") rather than excludes.</summary>
    public bool Exclusion { get; }

    public bool Matches(string path) => _kind switch
    {
        Kind.Exact => path == Cleaned,
        Kind.Prefix => path.StartsWith(Cleaned[..^2], StringComparison.Ordinal),
        Kind.Suffix => path.EndsWith(Cleaned[2..], StringComparison.Ordinal)
            || (Cleaned.Length > 2 && Cleaned[2] == '/' && path == Cleaned[3..]), // "**/foo" matches "foo"
        _ => _regex!.IsMatch(path),
    };

    static (Kind, string) Compile(string pattern)
    {
        var regex = new StringBuilder("^");
        var kind = Kind.Exact;
        var runes = pattern.EnumerateRunes().ToList();
        for (int i = 0, index = 0; i < runes.Count; i++, index++)
        {
            var ch = runes[i];
            bool hasNext = i + 1 < runes.Count;
            if (ch.Value == '*')
            {
                if (hasNext && runes[i + 1].Value == '*')
                {
                    i++;
                    if (i + 1 < runes.Count && runes[i + 1].Value == '/')
                        i++; // "**/" is "**"
                    if (i + 1 >= runes.Count)
                    {
                        // "**" at the end accepts everything, as .gitignore does.
                        if (kind == Kind.Exact)
                            kind = Kind.Prefix;
                        else
                        {
                            regex.Append(".*");
                            kind = Kind.Regex;
                        }
                    }
                    else
                    {
                        regex.Append("(.*/)?");
                        kind = Kind.Regex;
                    }
                    if (index == 0)
                        kind = Kind.Suffix;
                }
                else
                {
                    regex.Append("[^/]*");
                    kind = Kind.Regex;
                }
            }
            else if (ch.Value == '?')
            {
                regex.Append("[^/]");
                kind = Kind.Regex;
            }
            else if (ch.Value < 128 && ".+()|{}$".Contains((char)ch.Value))
                regex.Append('\\').Append((char)ch.Value);
            else if (ch.Value == '\\')
            {
                if (hasNext)
                {
                    i++;
                    AppendEscaped(regex, runes[i]);
                    kind = Kind.Regex;
                }
                else
                    regex.Append(@"\\");
            }
            else if (ch.Value is '[' or ']')
            {
                regex.Append((char)ch.Value);
                kind = Kind.Regex;
            }
            else
                AppendLiteral(regex, ch);
        }
        // \z, not $: .NET's $ also matches before a final newline, Go's does not.
        regex.Append(@"\z");
        return (kind, regex.ToString());
    }

    /// <summary>"\x" goes to the regex as it is, as patternmatcher hands it to Go's regexp (same escapes, same errors).</summary>
    static void AppendEscaped(StringBuilder regex, Rune ch) => regex.Append('\\').Append(ch.ToString());

    static void AppendLiteral(StringBuilder regex, Rune ch) => regex.Append(ch.ToString());

    public override string ToString() => Exclusion ? "!" + Cleaned : Cleaned;
}
