using Berth.Images;

namespace Berth.Build.Context;

/// <summary>
/// moby/patternmatcher: an ordered list of patterns where a later one overrides an earlier one, "!" patterns
/// re-including what earlier ones excluded. A path is also matched by a pattern that matches one of its parent
/// directories ("dir" excludes "dir/a/b"). Used for .dockerignore and COPY/ADD <c>--exclude</c>.
/// </summary>
public sealed class PatternMatcher
{
    readonly IgnorePattern[] _patterns;

    /// <param name="patterns">As read from a .dockerignore (see <see cref="IgnoreFile"/>) or given to --exclude.</param>
    /// <exception cref="BuildContextException">A pattern that is only "!", or a malformed one (<c>syntax error in pattern</c>).</exception>
    public PatternMatcher(IEnumerable<string> patterns)
    {
        var list = new List<IgnorePattern>();
        foreach (string raw in patterns)
        {
            string p = raw.Trim();
            if (p.Length == 0)
                continue;
            p = GoPath.Clean(p);
            bool exclusion = false;
            if (p[0] == '!')
            {
                if (p.Length == 1)
                    throw new BuildContextException("illegal exclusion pattern: \"!\"");
                exclusion = true;
                p = p[1..];
            }
            // patternmatcher asks filepath.Match for the pattern's syntax errors.
            if (!Images.References.GoPathMatch.TryMatch(p, ".", out _))
                throw new BuildContextException("syntax error in pattern");
            list.Add(new IgnorePattern(p, exclusion));
        }
        _patterns = [.. list];
        Exclusions = _patterns.Any(p => p.Exclusion);
    }

    public IReadOnlyList<IgnorePattern> Patterns => _patterns;

    /// <summary>Whether any pattern is an exception ("!...").</summary>
    public bool Exclusions { get; }

    public bool IsEmpty => _patterns.Length == 0;

    /// <summary>
    /// MatchesOrParentMatches: whether <paramref name="path"/> (relative, "/"-separated, clean) is excluded.
    /// </summary>
    public bool Matches(string path)
    {
        bool matched = false;
        string parent = GoPath.Dir(path);
        string[]? parentDirs = null;
        foreach (var pattern in _patterns)
        {
            // An inclusion cannot change an already matched path, nor an exception an unmatched one.
            if (pattern.Exclusion != matched)
                continue;
            bool match = pattern.Matches(path);
            if (!match && parent != ".")
            {
                parentDirs ??= parent.Split('/');
                for (int i = 1; i <= parentDirs.Length && !match; i++)
                    match = pattern.Matches(string.Join('/', parentDirs, 0, i));
            }
            if (match)
                matched = !pattern.Exclusion;
        }
        return matched;
    }

    /// <summary>
    /// MatchesUsingParentResults: the same, reusing what the patterns said of the parent directory
    /// (<paramref name="parent"/>, null for a path at the top), so that a walk tests each pattern once per entry.
    /// <paramref name="info"/> receives this path's results for its children.
    /// </summary>
    public bool Matches(string path, bool[]? parent, out bool[] info)
    {
        if (parent is null && path.Contains('/'))
        {
            // No parent results for a nested path: fall back to testing its parents.
            info = new bool[_patterns.Length];
            bool result = false;
            string dir = GoPath.Dir(path);
            string[] dirs = dir.Split('/');
            for (int i = 0; i < _patterns.Length; i++)
            {
                var pattern = _patterns[i];
                if (pattern.Exclusion != result)
                    continue;
                bool match = pattern.Matches(path);
                for (int j = 1; j <= dirs.Length && !match; j++)
                    match = pattern.Matches(string.Join('/', dirs, 0, j));
                info[i] = match;
                if (match)
                    result = !pattern.Exclusion;
            }
            return result;
        }
        info = new bool[_patterns.Length];
        bool matched = false;
        for (int i = 0; i < _patterns.Length; i++)
        {
            var pattern = _patterns[i];
            bool match = parent is not null && parent[i];
            if (!match)
            {
                if (pattern.Exclusion != matched)
                    continue;
                match = pattern.Matches(path);
            }
            info[i] = match;
            if (match)
                matched = !pattern.Exclusion;
        }
        return matched;
    }

    /// <summary>
    /// For an excluded directory: whether an exception could re-include something below it, so that the walk must go
    /// in (go-archive's rule: an exception pattern that starts with the directory's path and a "/").
    /// </summary>
    public bool MayReinclude(string directory)
    {
        if (!Exclusions)
            return false;
        string prefix = directory + "/";
        foreach (var pattern in _patterns)
            if (pattern.Exclusion && (pattern.Cleaned + "/").StartsWith(prefix, StringComparison.Ordinal))
                return true;
        return false;
    }
}
