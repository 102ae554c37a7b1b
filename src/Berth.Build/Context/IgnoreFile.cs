using System.Text;
using Berth.Images;

namespace Berth.Build.Context;

/// <summary>
/// Reading a .dockerignore as the docker CLI reads it (patternmatcher/ignorefile.ReadAll), and which file applies:
/// <c>&lt;Dockerfile&gt;.dockerignore</c> beside the Dockerfile when it exists, else the context's <c>.dockerignore</c>.
/// </summary>
public static class IgnoreFile
{
    public const string Name = ".dockerignore";

    /// <summary>
    /// The patterns of a .dockerignore: a UTF-8 BOM dropped, lines starting with "#" skipped (before trimming, so
    /// " #x" is a pattern), blank lines skipped, each pattern trimmed, cleaned, and made relative by dropping a
    /// leading "/", its "!" kept in front.
    /// </summary>
    public static List<string> Parse(string content)
    {
        var patterns = new List<string>();
        if (content.Length > 0 && content[0] == '\uFEFF')
            content = content[1..];
        foreach (string line in content.Split('\n'))
        {
            string pattern = line.EndsWith('\r') ? line[..^1] : line;
            if (pattern.StartsWith('#'))
                continue;
            pattern = pattern.Trim();
            if (pattern.Length == 0)
                continue;
            bool invert = pattern[0] == '!';
            if (invert)
                pattern = pattern[1..].Trim();
            if (pattern.Length > 0)
            {
                pattern = GoPath.Clean(pattern);
                if (pattern.Length > 1 && pattern[0] == '/')
                    pattern = pattern[1..];
            }
            patterns.Add(invert ? "!" + pattern : pattern);
        }
        return patterns;
    }

    /// <summary>
    /// The patterns that apply to a build of <paramref name="contextDir"/> with the Dockerfile at
    /// <paramref name="dockerfile"/> (a path relative to the context, or absolute): the Dockerfile's own ignore file
    /// when there is one, else the context's .dockerignore; none when neither exists.
    /// </summary>
    public static List<string> Read(string contextDir, string dockerfile)
    {
        string dockerfilePath = Path.IsPathRooted(dockerfile) ? dockerfile : Path.Combine(contextDir, dockerfile);
        foreach (string candidate in new[] { dockerfilePath + Name, Path.Combine(contextDir, Name) })
        {
            if (File.Exists(candidate))
            {
                try
                {
                    return Parse(File.ReadAllText(candidate, Encoding.UTF8));
                }
                catch (IOException e)
                {
                    throw new BuildContextException($"error reading .dockerignore: {e.Message}", e);
                }
            }
        }
        return [];
    }

    /// <summary>
    /// The CLI's TrimBuildFilesFromExcludes: the .dockerignore and the Dockerfile are sent even when the patterns
    /// exclude them (an exception for each is added), unless the Dockerfile comes from elsewhere (stdin).
    /// </summary>
    public static List<string> KeepBuildFiles(List<string> patterns, string dockerfile, bool dockerfileFromStdin = false)
    {
        var result = new List<string>(patterns);
        if (patterns.Count == 0)
            return result;
        var matcher = new PatternMatcher(patterns);
        if (matcher.Matches(Name))
            result.Add("!" + Name);
        string name = dockerfile.Replace('\\', '/');
        if (!dockerfileFromStdin && matcher.Matches(name))
            result.Add("!" + name);
        return result;
    }
}
