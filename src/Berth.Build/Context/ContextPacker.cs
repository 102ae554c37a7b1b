using System.Text;
using Berth.Images.Layers;
using Berth.Linux;

namespace Berth.Build.Context;

/// <summary>How <see cref="ContextPacker"/> packs a context directory.</summary>
public sealed class PackOptions
{
    /// <summary>The Dockerfile, relative to the context ("Dockerfile" by default): kept even when the patterns exclude it.</summary>
    public string Dockerfile { get; init; } = "Dockerfile";

    /// <summary>The Dockerfile comes from elsewhere (stdin), so the context's own need not be kept.</summary>
    public bool DockerfileFromStdin { get; init; }

    /// <summary>
    /// Keep the files' owners. The docker CLI sends every entry as 0:0 (its ChownOpts), which is the default here, so
    /// that the same tree gives the same context on every machine.
    /// </summary>
    public bool KeepOwners { get; init; }

    /// <summary>Patterns to use instead of reading .dockerignore / &lt;Dockerfile&gt;.dockerignore.</summary>
    public IReadOnlyList<string>? Excludes { get; init; }
}

/// <summary>
/// The client side of <c>berth build PATH</c>: the context directory as the tar stream the docker CLI sends
/// (go-archive's TarWithOptions with the .dockerignore patterns): entries named relative to the context, in
/// filepath.Walk order, directories with a trailing "/", modes, whole-second mtimes, symlinks as symlinks, hard links
/// as links to the first name, security.capability kept, sockets left out. Written as it is walked: nothing of the
/// context is held in memory.
/// </summary>
public static class ContextPacker
{
    /// <summary>
    /// Packs the context. With <paramref name="regularFiles"/>, only the regular files it names are sent (every
    /// directory, symlink and other entry still is): the files the daemon said it lacks after a <see cref="Scan"/>.
    /// </summary>
    public static void Pack(string contextDir, Stream output, PackOptions? options = null, IReadOnlySet<string>? regularFiles = null)
    {
        options ??= new PackOptions();
        var writeOptions = new LayerWriteOptions { Xattrs = XattrPolicy.CapabilityOnly, Owner = options.KeepOwners ? null : (0, 0) };
        using var writer = new TarWriter(output);
        using (var appender = new TarAppender(writer, writeOptions, convertOverlayWhiteouts: false))
        {
            Walk(contextDir, options, (in WalkEntry e) =>
            {
                if (regularFiles is null || !e.Stat.IsRegularFile || regularFiles.Contains(Encoding.UTF8.GetString(e.Path)))
                    appender.Add(e);
            });
        }
        writer.Finish();
    }

    /// <summary>What <see cref="Pack"/> would send, as a list of paths and what lstat says of them (no file is read).</summary>
    public static ContextManifest Scan(string contextDir, PackOptions? options = null)
    {
        var manifest = new ContextManifest();
        Walk(contextDir, options ?? new PackOptions(), (in WalkEntry e) =>
        {
            var stat = e.Stat;
            if (stat.IsSocket)
                return; // not in the tar either
            manifest.Entries.Add(new ContextEntry(Encoding.UTF8.GetString(e.Path), stat.Mode, stat.Size,
                stat.MtimeSeconds * 1_000_000_000 + stat.MtimeNanoseconds, stat.Uid, stat.Gid, stat.Inode, stat.LinkCount));
        });
        return manifest;
    }

    /// <summary>The context's entries in filepath.Walk order, .dockerignore applied (the Dockerfile and .dockerignore kept).</summary>
    static void Walk(string contextDir, PackOptions options, TreeWalker.Visitor visit)
    {
        var patterns = options.Excludes is { } given ? [.. given] : IgnoreFile.Read(contextDir, options.Dockerfile);
        patterns = IgnoreFile.KeepBuildFiles(patterns, options.Dockerfile, options.DockerfileFromStdin);
        var matcher = new PatternMatcher(patterns);

        int root = FilesAt.Open(-100 /* AT_FDCWD */, Encoding.UTF8.GetBytes(contextDir), OpenFlags.ReadOnly | OpenFlags.Directory);
        if (root < 0)
            throw new BuildContextException($"unable to prepare context: path \"{contextDir}\" not found: {LinuxException.Describe(-root)}");
        try
        {
            var filter = new ExcludeFilter(matcher);
            TreeWalker.Walk(root, matcher.IsEmpty ? null : filter.Decide, visit);
        }
        finally
        {
            FilesAt.Close(root);
        }
    }
}

/// <summary>
/// go-archive's walk decision for one entry: excluded files are left out; an excluded directory is left out with all
/// it holds, unless an exception pattern starts with its path, in which case the walk goes in (without it).
/// </summary>
internal sealed class ExcludeFilter(PatternMatcher matcher)
{
    // The patterns' results for the directories above the entry being decided, innermost last.
    readonly List<(string Path, bool[] Info)> _parents = [];

    public WalkDecision Decide(in WalkEntry entry)
    {
        string path = Encoding.UTF8.GetString(entry.Path);
        while (_parents.Count > 0 && !IsBelow(path, _parents[^1].Path))
            _parents.RemoveAt(_parents.Count - 1);
        bool[]? parent = _parents.Count > 0 ? _parents[^1].Info : null;
        bool excluded = matcher.Matches(path, parent, out var info);
        bool directory = entry.Stat.IsDirectory;
        if (directory)
            _parents.Add((path, info));
        if (!excluded)
            return WalkDecision.Visit;
        if (!directory)
            return WalkDecision.SkipSelf;
        return matcher.MayReinclude(path) ? WalkDecision.SkipSelf : WalkDecision.SkipTree;
    }

    static bool IsBelow(string path, string directory)
        => path.Length > directory.Length && path[directory.Length] == '/' && path.StartsWith(directory, StringComparison.Ordinal);
}
