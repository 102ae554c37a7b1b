using System.Text;
using Berth.Linux;
using Microsoft.Win32.SafeHandles;

namespace Berth.Engine.Logs;

/// <summary>
/// Which file a name or a descriptor is: device and inode. A log's files change names as they rotate, so a reader
/// keeps its place by identity. An identity is only unambiguous while some descriptor keeps the file alive: the inode
/// of a removed file may be given to a new one.
/// </summary>
internal readonly record struct FileIdentity(uint DevMajor, uint DevMinor, ulong Inode)
{
    const int AtCurrentDirectory = -100;

    public static FileIdentity Of(SafeFileHandle file)
    {
        int errno = FilesAt.Stat((int)file.DangerousGetHandle(), out var stat);
        return errno == 0 ? From(stat) : throw new LinuxException(errno, "stat log file");
    }

    /// <summary>The file at <paramref name="path"/> now, null when nothing is there.</summary>
    public static FileIdentity? At(string path)
    {
        int errno = FilesAt.Stat(AtCurrentDirectory, Encoding.UTF8.GetBytes(path), followSymlinks: true, out var stat);
        return errno == 0 ? From(stat) : errno == Errno.ENOENT ? null : throw new LinuxException(errno, $"stat {path}");
    }

    static FileIdentity From(in FileStat stat) => new(stat.DevMajor, stat.DevMinor, stat.Inode);
}
