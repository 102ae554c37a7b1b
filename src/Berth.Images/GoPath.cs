namespace Berth.Images;

/// <summary>
/// Go's <c>path</c> (and, on Linux, <c>path/filepath</c>) functions, for code that must treat paths exactly as
/// Docker's Go code does: the image config's working directory, <c>docker cp</c>'s source and destination rules.
/// Purely lexical: nothing here looks at a file system.
/// </summary>
public static class GoPath
{
    /// <summary><c>path.Clean</c>: "." and empty components dropped, ".." folded (never above "/"), "." for nothing.</summary>
    public static string Clean(string path)
    {
        if (path.Length == 0)
            return ".";
        bool rooted = path[0] == '/';
        List<string> parts = [];
        foreach (string part in path.Split('/'))
        {
            if (part.Length == 0 || part == ".")
                continue;
            if (part == "..")
            {
                if (parts.Count > 0 && parts[^1] != "..")
                    parts.RemoveAt(parts.Count - 1);
                else if (!rooted)
                    parts.Add("..");
                continue;
            }
            parts.Add(part);
        }
        string joined = string.Join('/', parts);
        return rooted ? "/" + joined : joined.Length == 0 ? "." : joined;
    }

    /// <summary><c>path.Join</c>: the non-empty elements joined with "/" and cleaned; "" when all are empty.</summary>
    public static string Join(params string[] elements)
    {
        var nonEmpty = elements.Where(e => e.Length > 0).ToArray();
        return nonEmpty.Length == 0 ? "" : Clean(string.Join('/', nonEmpty));
    }

    /// <summary><c>path.Split</c>: everything up to and including the last "/", and the rest.</summary>
    public static (string Dir, string File) Split(string path)
    {
        int slash = path.LastIndexOf('/');
        return (path[..(slash + 1)], path[(slash + 1)..]);
    }

    /// <summary><c>path.Base</c>: the last element, trailing slashes ignored; "." for "", "/" for only slashes.</summary>
    public static string Base(string path)
    {
        if (path.Length == 0)
            return ".";
        string trimmed = path.TrimEnd('/');
        if (trimmed.Length == 0)
            return "/";
        return trimmed[(trimmed.LastIndexOf('/') + 1)..];
    }

    /// <summary><c>path.Dir</c>: all but the last element, cleaned.</summary>
    public static string Dir(string path) => Clean(Split(path).Dir);

    public static bool IsAbs(string path) => path.StartsWith('/');

    /// <summary><c>filepath.Abs</c>: an absolute path cleaned, a relative one joined to <paramref name="workingDirectory"/>.</summary>
    public static string Abs(string path, string workingDirectory) => IsAbs(path) ? Clean(path) : Join(workingDirectory, path);
}
