using Berth.Engine.Model;
using Berth.Images;
using Berth.Linux;

namespace Berth.Engine.Archive;

/// <summary>Docker's container path stat (the <c>X-Docker-Container-Path-Stat</c> header): what is at a path in a container.</summary>
public static class PathStats
{
    /// <summary>
    /// lstat of <paramref name="absPath"/> (a trailing "/" or "/." follows a final symlink, as lstat(2) does), named
    /// by its last element; a symlink's <c>linkTarget</c> is where it finally leads in the container. A missing path
    /// is a <see cref="LinuxException"/> with ENOENT.
    /// </summary>
    public static ContainerPathStat Stat(ContainerRoot root, string absPath)
    {
        int fd = root.Open(absPath, OpenFlags.Path | OpenFlags.NoFollow);
        if (fd < 0)
            throw new LinuxException(-fd, $"lstat {absPath}");
        FileStat stat;
        try
        {
            int errno = FilesAt.Stat(fd, out stat);
            if (errno != 0)
                throw new LinuxException(errno, $"lstat {absPath}");
        }
        finally
        {
            FilesAt.Close(fd);
        }
        return new ContainerPathStat
        {
            Name = GoPath.Base(absPath),
            Size = stat.Size,
            Mode = GoFileMode.FromStat(stat),
            // Go's ModTime is in the daemon's local zone, as json.Marshal then writes it.
            Mtime = DateTimeOffset.FromUnixTimeSeconds(stat.MtimeSeconds).AddTicks(stat.MtimeNanoseconds / 100).ToLocalTime(),
            LinkTarget = stat.IsSymlink ? ScopedSymlinks.Evaluate(root, absPath) : "",
        };
    }
}
