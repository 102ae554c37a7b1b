using System.Buffers;
using System.Buffers.Binary;

namespace Berth.Linux;

/// <summary>One name in a directory, as raw bytes, with the d_type the file system reported (0 when it does not say).</summary>
public readonly record struct DirectoryEntry(byte[] Name, byte Type)
{
    public const byte Unknown = 0, Fifo = 1, CharDevice = 2, Directory = 4, BlockDevice = 6, Regular = 8, Symlink = 10, Socket = 12;
}

/// <summary>
/// Reads a directory with getdents64(2) from a descriptor: names come back as the bytes the file
/// system holds (not decoded, so no name is lost or changed), "." and ".." left out.
/// </summary>
public static class DirectoryEntries
{
    /// <summary>Appends every entry of the open directory <paramref name="dirFd"/>; 0 or the errno.</summary>
    public static int ReadAll(int dirFd, List<DirectoryEntry> into)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(32 * 1024);
        try
        {
            while (true)
            {
                int n = FilesAt.ReadDirectory(dirFd, buffer);
                if (n < 0)
                    return -n;
                if (n == 0)
                    return 0;
                Parse(buffer.AsSpan(0, n), into);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    static void Parse(ReadOnlySpan<byte> records, List<DirectoryEntry> into)
    {
        // struct linux_dirent64: u64 d_ino, s64 d_off, u16 d_reclen, u8 d_type, char d_name[] (NUL-terminated).
        int offset = 0;
        while (offset + 19 < records.Length)
        {
            int length = BinaryPrimitives.ReadUInt16LittleEndian(records[(offset + 16)..]);
            if (length == 0)
                break;
            byte type = records[offset + 18];
            var name = records.Slice(offset + 19, length - 19);
            int nul = name.IndexOf((byte)0);
            if (nul >= 0)
                name = name[..nul];
            offset += length;
            if (name.SequenceEqual("."u8) || name.SequenceEqual(".."u8))
                continue;
            into.Add(new DirectoryEntry(name.ToArray(), type));
        }
    }
}
