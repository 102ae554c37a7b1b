using System.Text;
using Berth.Build.Context;
using Berth.Images;
using Berth.Images.Layers;
using Berth.Images.References;
using Berth.Linux;

namespace Berth.Build.Copy;

/// <summary>One source a COPY matched: its path relative to the source root, and the part --parents keeps.</summary>
public sealed record CopySource(string Path, string ParentsPath);

/// <summary>
/// dockerd's calcCopyInfo for local sources: a leading "/" or "./" dropped, ".." may not leave the root, a path with
/// wildcards (Go's filepath.Match on every path of the root) gives every match, a plain path must exist (symlinks
/// followed inside the root). Errors in Docker's words, prefixed "COPY failed: " / "ADD failed: " as dockerd does.
/// </summary>
public static class SourceResolver
{
    public static List<CopySource> Resolve(int rootFd, CopyOptions options, IEnumerable<string> sources)
    {
        var result = new List<CopySource>();
        foreach (string original in sources)
        {
            string path = original.TrimStart('/');
            while (path.StartsWith("./", StringComparison.Ordinal))
                path = path[2..];
            string clean = GoPath.Clean(path);
            if (clean == ".." || clean.StartsWith("../", StringComparison.Ordinal))
                throw Failed(options, $"forbidden path outside the build context: {original} ()");
            string pivot = PivotOf(path);
            if (ContainsWildcards(path))
            {
                string pattern = clean;
                if (!GoPathMatch.TryMatch(pattern, ".", out _))
                    throw Failed(options, "syntax error in pattern");
                TreeWalker.Walk(rootFd, (in WalkEntry e) =>
                {
                    string rel = Encoding.UTF8.GetString(e.Path);
                    if (GoPathMatch.TryMatch(pattern, rel, out bool matched) && matched)
                        result.Add(new CopySource(rel, Relative(rel, pivot)));
                });
                continue;
            }
            int fd = FilesAt.OpenInRoot(rootFd, Encoding.UTF8.GetBytes(clean), OpenFlags.Path, ResolveFlags.InRoot | ResolveFlags.NoMagicLinks);
            if (fd < 0)
            {
                if (fd is -Errno.ENOENT or -Errno.ENOTDIR)
                {
                    string stat = $"stat {clean}: file does not exist";
                    throw Failed(options, options.FromContext ? $"file not found in build context or excluded by .dockerignore: {stat}" : stat);
                }
                throw new BuildContextException($"{options.Keyword} failed: stat {clean}: {LinuxException.Describe(-fd)}", isUserError: false);
            }
            FilesAt.Close(fd);
            result.Add(new CopySource(clean, Relative(clean, pivot)));
        }
        if (result.Count == 0)
            throw Failed(options, "no source files were specified");
        return result;
    }

    /// <summary>dockerd's containsWildcards: an unescaped *, ? or [.</summary>
    public static bool ContainsWildcards(string path)
    {
        for (int i = 0; i < path.Length; i++)
        {
            if (path[i] == '\\')
                i++;
            else if (path[i] is '*' or '?' or '[')
                return true;
        }
        return false;
    }

    /// <summary>buildkit's --parents pivot: what comes before a "/./" is not kept ("" when there is none).</summary>
    static string PivotOf(string path)
    {
        int at = path.IndexOf("/./", StringComparison.Ordinal);
        return at < 0 ? "" : GoPath.Clean(path[..at]);
    }

    static string Relative(string path, string pivot)
        => pivot.Length == 0 || pivot == "." ? path : path.StartsWith(pivot + "/", StringComparison.Ordinal) ? path[(pivot.Length + 1)..] : path;

    internal static BuildContextException Failed(CopyOptions options, string message) => new($"{options.Keyword} failed: {message}");
}
