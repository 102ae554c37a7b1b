namespace Berth.Images.Copy;

/// <summary>
/// The path rules of <c>docker cp</c> (moby/go-archive's copy.go), shared by the daemon's archive endpoints and the
/// command line: a trailing "/" or "/." says "a directory" and survives cleaning, "dir/." means the directory's
/// contents, and a symlink met last may rename what lands at the destination.
/// </summary>
public static class CopyPaths
{
    /// <summary>
    /// PreserveTrailingDotOrSeparator: <paramref name="cleaned"/> (a cleaned form of <paramref name="original"/>) with
    /// the original's trailing "/." or "/" put back.
    /// </summary>
    public static string PreserveTrailingDotOrSeparator(string cleaned, string original)
    {
        if (!SpecifiesCurrentDir(cleaned) && SpecifiesCurrentDir(original))
        {
            if (!HasTrailingSeparator(cleaned))
                cleaned += "/";
            cleaned += ".";
        }
        if (!HasTrailingSeparator(cleaned) && HasTrailingSeparator(original))
            cleaned += "/";
        return cleaned;
    }

    /// <summary>The path given to the daemon as the container sees it: absolute, cleaned, its trailing "/" or "/." kept.</summary>
    public static string InContainer(string path) => PreserveTrailingDotOrSeparator(GoPath.Join("/", path), path);

    /// <summary>Whether the path asserts a directory: it ends with "/" or its last element is ".".</summary>
    public static bool AssertsDirectory(string path) => HasTrailingSeparator(path) || SpecifiesCurrentDir(path);

    public static bool HasTrailingSeparator(string path) => path.EndsWith('/');

    /// <summary>Whether the last element is "." ("dir/.", "."): the directory's contents rather than the directory.</summary>
    public static bool SpecifiesCurrentDir(string path) => GoPath.Base(path) == ".";

    /// <summary>SplitPathDirEntry: the cleaned path's directory and last element, a final "." kept as the element.</summary>
    public static (string Dir, string Base) SplitDirEntry(string path)
    {
        string cleaned = GoPath.Clean(path);
        if (SpecifiesCurrentDir(path))
            cleaned += "/.";
        return (GoPath.Dir(cleaned), GoPath.Base(cleaned));
    }

    /// <summary>
    /// GetRebaseName: <paramref name="resolved"/> (what <paramref name="path"/>'s symlinks led to) with the path's
    /// trailing "/." or "/" carried over, and the name the copy must take when the last element changed ("" if not).
    /// </summary>
    public static (string Resolved, string RebaseName) RebaseName(string path, string resolved)
    {
        if (SpecifiesCurrentDir(path) && !SpecifiesCurrentDir(resolved))
            resolved += "/.";
        if (HasTrailingSeparator(path) && !HasTrailingSeparator(resolved))
            resolved += "/";
        return (resolved, GoPath.Base(path) != GoPath.Base(resolved) ? GoPath.Base(path) : "");
    }
}
