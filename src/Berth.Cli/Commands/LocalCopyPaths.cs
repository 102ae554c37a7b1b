using System.Text;
using Berth.Cli.Client;
using Berth.Cli.Templates;
using Berth.Engine.Archive;
using Berth.Images;
using Berth.Images.Copy;
using Berth.Linux;

namespace Berth.Cli.Commands;

/// <summary>One end of a copy (go-archive's CopyInfo): where it is, whether it exists and is a directory, and the name its entries take when a symlink renamed it.</summary>
internal sealed record CopyInfo(string Path, bool Exists = false, bool IsDir = false, string RebaseName = "");

/// <summary>
/// Where an archive is extracted for a copy, and the name its top entry must take there so that the result lands
/// under the destination's name (go-archive's PrepareArchiveCopy; null: the archive goes in as it is).
/// </summary>
internal sealed record CopyPlan(string Directory, string? NewName);

/// <summary>
/// docker cp's rules on the local side (moby/go-archive's copy.go and the CLI's path checks), with Go's error texts:
/// resolving the source, finding what the destination is, and deciding where an archive goes.
/// </summary>
internal static class LocalCopyPaths
{
    /// <summary>resolveLocalPath: absolute and cleaned, a trailing "/" or "/." kept.</summary>
    public static string Resolve(string path) =>
        CopyPaths.PreserveTrailingDotOrSeparator(GoPath.Abs(path, Directory.GetCurrentDirectory()), path);

    /// <summary>command.ValidateOutputPath: the parent must exist, and an existing target must be a directory or a regular file.</summary>
    public static void ValidateOutputPath(string path)
    {
        string dir = GoPath.Dir(GoPath.Clean(path));
        if (dir is not ("" or ".") && Stat(dir, follow: true, out _) == Errno.ENOENT)
            throw new CliException($"invalid output path: directory {GoQuote.Quote(dir)} does not exist");
        int errno = Stat(path, follow: true, out var stat);
        if (errno == Errno.ENOENT)
            return;
        if (errno != 0)
            throw Error("stat", path, errno);
        if (!stat.IsDirectory && !stat.IsRegularFile && GoFileMode.NotWritableReason(GoFileMode.FromStat(stat)) is { } reason)
            throw new CliException($"invalid output path: {GoQuote.Quote(path)} must be a directory or a regular file: {reason}");
    }

    /// <summary>
    /// CopyInfoSourcePath: the source with its parent's symlinks resolved (all of them with <paramref name="followLink"/>),
    /// and the name it keeps when the last element was a symlink named with a trailing "/". It must exist.
    /// </summary>
    public static CopyInfo Source(string path, bool followLink)
    {
        string resolved, rebaseName = "";
        if (followLink)
            (resolved, rebaseName) = CopyPaths.RebaseName(path, EvalSymlinks(path));
        else
        {
            var (dir, file) = GoPath.Split(path);
            resolved = EvalSymlinks(dir) + "/" + file;
            if (CopyPaths.HasTrailingSeparator(path) && GoPath.Base(path) != GoPath.Base(resolved))
                rebaseName = GoPath.Base(path);
        }
        int errno = Stat(resolved, follow: false, out var stat);
        if (errno != 0)
            throw Error("lstat", resolved, errno);
        return new CopyInfo(resolved, Exists: true, IsDir: stat.IsDirectory, RebaseName: rebaseName);
    }

    /// <summary>
    /// CopyInfoDestinationPath: the destination with symlinks as its last element followed (a broken one is where
    /// the copy goes); it need not exist, but its parent directory must.
    /// </summary>
    public static CopyInfo Destination(string path)
    {
        const int maxLinks = 10;
        string original = path;
        int errno = Stat(path, follow: false, out var stat);
        for (int n = 0; errno == 0 && stat.IsSymlink; n++)
        {
            if (n > maxLinks)
                throw new CliException("too many symlinks in " + original);
            string target = ReadLink(path);
            path = GoPath.IsAbs(target) ? target : GoPath.Join(CopyPaths.SplitDirEntry(path).Dir, target);
            errno = Stat(path, follow: false, out stat);
        }
        if (errno == 0)
            return new CopyInfo(path, Exists: true, IsDir: stat.IsDirectory);
        if (errno != Errno.ENOENT)
            throw Error("lstat", path, errno);
        string parent = CopyPaths.SplitDirEntry(path).Dir;
        errno = Stat(parent, follow: true, out var parentStat);
        if (errno != 0)
            throw Error("stat", parent, errno);
        if (!parentStat.IsDirectory)
            throw new CliException("not a directory");
        return new CopyInfo(path);
    }

    /// <summary>
    /// PrepareArchiveCopy: an archive of <paramref name="source"/> goes into an existing directory as it is; anywhere
    /// else it is extracted into the destination's parent with its entries renamed to the destination's name.
    /// </summary>
    public static CopyPlan Prepare(CopyInfo source, CopyInfo destination)
    {
        if (destination.Exists && destination.IsDir)
            return new CopyPlan(destination.Path, null);
        if (destination.Exists && source.IsDir)
            throw new CliException("cannot copy directory");
        if (!destination.Exists && !source.IsDir && CopyPaths.AssertsDirectory(destination.Path))
            throw new CliException("no such directory");
        var (dstDir, dstBase) = CopyPaths.SplitDirEntry(destination.Path);
        return new CopyPlan(dstDir, dstBase);
    }

    /// <summary>filepath.EvalSymlinks: every symlink on the path resolved; the path must exist.</summary>
    static string EvalSymlinks(string path)
    {
        int errno = Files.TryOpen(path.Length == 0 ? "." : path, OpenFlags.Path, out var handle);
        if (errno != 0)
            throw Error("lstat", path, -errno);
        using (handle)
            return Files.RealPath(handle!) ?? path;
    }

    static int Stat(string path, bool follow, out FileStat stat) =>
        FilesAt.Stat(-100 /* AT_FDCWD */, Encoding.UTF8.GetBytes(path), follow, out stat);

    static string ReadLink(string path)
    {
        Span<byte> buffer = stackalloc byte[4096];
        int errno = FilesAt.ReadLink(-100, Encoding.UTF8.GetBytes(path), buffer, out int length);
        if (errno != 0)
            throw Error("readlink", path, errno);
        return Encoding.UTF8.GetString(buffer[..length]);
    }

    /// <summary>A Go *PathError's text: "lstat /x: no such file or directory".</summary>
    static CliException Error(string operation, string path, int errno) => new($"{operation} {path}: {LinuxException.Describe(errno)}");
}
