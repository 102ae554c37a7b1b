using System.Text;

namespace Berth.Images.References;

/// <summary>
/// Go's <c>path.Match</c>, which Docker's reference filters use: <c>*</c> is any run of characters but <c>/</c>,
/// <c>?</c> one character but <c>/</c>, <c>[...]</c> a class (<c>^</c> negates, <c>a-z</c> ranges), <c>\</c> escapes.
/// A pattern that is malformed is an error even when the part before it fails to match, as in Go.
/// </summary>
internal static class GoPathMatch
{
    /// <exception cref="StoreException"><c>syntax error in pattern</c>.</exception>
    public static bool Match(string pattern, string name) =>
        TryMatch(pattern, name, out bool matched) ? matched : throw StoreException.Invalid(ReferenceErrors.BadPattern);

    /// <summary>False when the pattern is malformed.</summary>
    public static bool TryMatch(string pattern, string name, out bool matched)
    {
        matched = false;
        ReadOnlySpan<char> p = pattern, s = name;
        while (p.Length > 0)
        {
            bool star = ScanChunk(ref p, out ReadOnlySpan<char> chunk);
            if (star && chunk.Length == 0)
            {
                // A trailing * matches the rest unless it has a /.
                matched = !s.Contains('/');
                return true;
            }
            if (!MatchChunk(chunk, s, out ReadOnlySpan<char> rest, out bool ok))
            {
                return false;
            }
            if (ok && (rest.Length == 0 || p.Length > 0))
            {
                s = rest;
                continue;
            }
            bool found = false;
            if (star)
            {
                // Try the chunk after skipping i+1 characters; a * never skips a /.
                for (int i = 0; i < s.Length && s[i] != '/'; i++)
                {
                    if (!MatchChunk(chunk, s[(i + 1)..], out rest, out ok))
                    {
                        return false;
                    }
                    if (ok && !(p.Length == 0 && rest.Length > 0))
                    {
                        s = rest;
                        found = true;
                        break;
                    }
                }
            }
            if (found)
            {
                continue;
            }
            // No match: still an error if the rest of the pattern is malformed.
            while (p.Length > 0)
            {
                ScanChunk(ref p, out chunk);
                if (!MatchChunk(chunk, "", out _, out _))
                {
                    return false;
                }
            }
            return true;
        }
        matched = s.Length == 0;
        return true;
    }

    // Leading stars, then the chunk up to the next star outside a class.
    private static bool ScanChunk(ref ReadOnlySpan<char> pattern, out ReadOnlySpan<char> chunk)
    {
        bool star = false;
        while (pattern.Length > 0 && pattern[0] == '*')
        {
            pattern = pattern[1..];
            star = true;
        }
        bool inRange = false;
        int i;
        for (i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                i++;
            }
            else if (c == '[')
            {
                inRange = true;
            }
            else if (c == ']')
            {
                inRange = false;
            }
            else if (c == '*' && !inRange)
            {
                break;
            }
        }
        chunk = pattern[..i];
        pattern = pattern[i..];
        return star;
    }

    // False for a malformed chunk. Once the match has failed, the rest of the chunk is still checked for syntax.
    private static bool MatchChunk(scoped ReadOnlySpan<char> chunk, ReadOnlySpan<char> s, out ReadOnlySpan<char> rest, out bool ok)
    {
        rest = default;
        ok = false;
        bool failed = false;
        while (chunk.Length > 0)
        {
            failed |= s.Length == 0;
            switch (chunk[0])
            {
                case '[':
                    Rune r = default;
                    if (!failed)
                    {
                        Rune.DecodeFromUtf16(s, out r, out int consumed);
                        s = s[consumed..];
                    }
                    chunk = chunk[1..];
                    bool negated = chunk.Length > 0 && chunk[0] == '^';
                    if (negated)
                    {
                        chunk = chunk[1..];
                    }
                    bool match = false;
                    for (int ranges = 0; ; ranges++)
                    {
                        if (chunk.Length > 0 && chunk[0] == ']' && ranges > 0)
                        {
                            chunk = chunk[1..];
                            break;
                        }
                        if (!GetEscaped(ref chunk, out Rune lo))
                        {
                            return false;
                        }
                        Rune hi = lo;
                        if (chunk[0] == '-')
                        {
                            chunk = chunk[1..];
                            if (!GetEscaped(ref chunk, out hi))
                            {
                                return false;
                            }
                        }
                        match |= lo <= r && r <= hi;
                    }
                    failed |= match == negated;
                    break;
                case '?':
                    if (!failed)
                    {
                        failed = s[0] == '/';
                        Rune.DecodeFromUtf16(s, out _, out int consumed);
                        s = s[consumed..];
                    }
                    chunk = chunk[1..];
                    break;
                default:
                    if (chunk[0] == '\\')
                    {
                        chunk = chunk[1..];
                        if (chunk.Length == 0)
                        {
                            return false;
                        }
                    }
                    if (!failed)
                    {
                        failed = chunk[0] != s[0];
                        s = s[1..];
                    }
                    chunk = chunk[1..];
                    break;
            }
        }
        ok = !failed;
        rest = failed ? default : s;
        return true;
    }

    // One character of a class, maybe escaped; false when the class is malformed or ends too early.
    private static bool GetEscaped(ref ReadOnlySpan<char> chunk, out Rune r)
    {
        r = default;
        if (chunk.Length == 0 || chunk[0] is '-' or ']')
        {
            return false;
        }
        if (chunk[0] == '\\')
        {
            chunk = chunk[1..];
            if (chunk.Length == 0)
            {
                return false;
            }
        }
        if (Rune.DecodeFromUtf16(chunk, out r, out int consumed) != System.Buffers.OperationStatus.Done)
        {
            return false;
        }
        chunk = chunk[consumed..];
        return chunk.Length > 0;
    }
}
