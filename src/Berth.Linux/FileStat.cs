namespace Berth.Linux;

/// <summary>
/// Everything statx(2) says about a file that a tree walk or a layer diff compares: type and mode,
/// owner, size, times with nanoseconds, inode, link count and device numbers. Unlike
/// <see cref="FileStatus"/> it is read from a directory descriptor and a raw name (<see cref="FilesAt.Stat"/>).
/// </summary>
public readonly struct FileStat
{
    public uint Mode { get; init; }

    public uint Uid { get; init; }

    public uint Gid { get; init; }

    public long Size { get; init; }

    /// <summary>512-byte blocks allocated: less than Size/512 for a sparse file.</summary>
    public long Blocks { get; init; }

    public uint LinkCount { get; init; }

    public ulong Inode { get; init; }

    public uint DevMajor { get; init; }

    public uint DevMinor { get; init; }

    public uint RdevMajor { get; init; }

    public uint RdevMinor { get; init; }

    public long MtimeSeconds { get; init; }

    public uint MtimeNanoseconds { get; init; }

    public long AtimeSeconds { get; init; }

    public uint AtimeNanoseconds { get; init; }

    public uint Type => Mode & FileStatus.S_IFMT;

    public uint Permissions => Mode & 0xFFF;

    public bool IsDirectory => Type == Files.S_IFDIR;

    public bool IsRegularFile => Type == Files.S_IFREG;

    public bool IsSymlink => Type == FileStatus.S_IFLNK;

    public bool IsCharacterDevice => Type == Files.S_IFCHR;

    public bool IsBlockDevice => Type == Files.S_IFBLK;

    public bool IsFifo => Type == Files.S_IFIFO;

    public bool IsSocket => Type == FileStatus.S_IFSOCK;

    /// <summary>An overlayfs whiteout: a character device 0/0.</summary>
    public bool IsWhiteout => IsCharacterDevice && RdevMajor == 0 && RdevMinor == 0;

    internal static unsafe FileStat FromStatx(byte* b) => new()
    {
        // struct statx offsets (identical on x86-64 and arm64).
        LinkCount = *(uint*)(b + 16),
        Uid = *(uint*)(b + 20),
        Gid = *(uint*)(b + 24),
        Mode = *(ushort*)(b + 28),
        Inode = *(ulong*)(b + 32),
        Size = *(long*)(b + 40),
        Blocks = *(long*)(b + 48),
        AtimeSeconds = *(long*)(b + 64),
        AtimeNanoseconds = *(uint*)(b + 72),
        MtimeSeconds = *(long*)(b + 112),
        MtimeNanoseconds = *(uint*)(b + 120),
        RdevMajor = *(uint*)(b + 128),
        RdevMinor = *(uint*)(b + 132),
        DevMajor = *(uint*)(b + 136),
        DevMinor = *(uint*)(b + 140),
    };
}

/// <summary>An access and a modification time for <see cref="FilesAt.SetTimes(int, in FileTimes)"/>.</summary>
public readonly record struct FileTimes(long AtimeSeconds, long AtimeNanoseconds, long MtimeSeconds, long MtimeNanoseconds)
{
    /// <summary>utimensat's UTIME_OMIT: leave this time as it is.</summary>
    public const long Omit = (1L << 30) - 2;

    public static FileTimes Both(long seconds, long nanoseconds) => new(seconds, nanoseconds, seconds, nanoseconds);
}
