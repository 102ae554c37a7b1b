using Berth.Linux;

namespace Berth.Engine.Archive;

/// <summary>
/// Go's <c>os.FileMode</c>, the <c>mode</c> of Docker's container path stat: the permission bits, and the file type
/// and set-id/sticky bits as Go's own high bits rather than the kernel's S_IF* and S_IS* values.
/// </summary>
public static class GoFileMode
{
    public const uint Dir = 1u << 31;
    public const uint Symlink = 1u << 27;
    public const uint Device = 1u << 26;
    public const uint NamedPipe = 1u << 25;
    public const uint Socket = 1u << 24;
    public const uint Setuid = 1u << 23;
    public const uint Setgid = 1u << 22;
    public const uint CharDevice = 1u << 21;
    public const uint Sticky = 1u << 20;
    public const uint Irregular = 1u << 19;

    /// <summary>Go's fillFileStatFromSys: the mode of a statx result.</summary>
    public static uint FromStat(in FileStat stat)
    {
        uint mode = stat.Mode & 0x1FF;
        mode |= stat.Type switch
        {
            Files.S_IFBLK => Device,
            Files.S_IFCHR => Device | CharDevice,
            Files.S_IFDIR => Dir,
            Files.S_IFIFO => NamedPipe,
            FileStatus.S_IFLNK => Symlink,
            FileStatus.S_IFSOCK => Socket,
            _ => 0,
        };
        if ((stat.Mode & 0x800) != 0)
            mode |= Setuid;
        if ((stat.Mode & 0x400) != 0)
            mode |= Setgid;
        if ((stat.Mode & 0x200) != 0)
            mode |= Sticky;
        return mode;
    }

    public static bool IsDir(uint mode) => (mode & Dir) != 0;

    public static bool IsSymlink(uint mode) => (mode & Symlink) != 0;

    /// <summary>
    /// docker's ValidateOutputPathFileMode: why a copy cannot write to a file of this mode (a device, an irregular
    /// file), or null when it can.
    /// </summary>
    public static string? NotWritableReason(uint mode)
        => (mode & Device) != 0 ? "got a device" : (mode & Irregular) != 0 ? "got an irregular file" : null;
}
