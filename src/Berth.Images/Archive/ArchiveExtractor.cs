using System.Text;
using Berth.Images.Layers;
using Berth.Linux;

namespace Berth.Images.Archive;

/// <summary>
/// Unpacks an image archive (a <c>docker save</c> tar or an OCI layout tar; uncompressed, gzip, bzip2, xz or zstd) into a new,
/// empty directory, for <see cref="ArchiveReader"/>. An archive is data, not a file system: only regular files and
/// directories are accepted, plus the symlink shapes legacy archives use for layer files (<c>&lt;id&gt;/layer.tar</c>
/// pointing at <c>../&lt;id&gt;/layer.tar</c> or <c>../&lt;hex&gt;.tar</c>), which <see cref="ArchiveReader"/> resolves
/// inside the directory. Names that are absolute or
/// contain <c>..</c>, any other type (links, devices, fifos), sparse and duplicate entries are refused with
/// InvalidArgument naming the entry. Every directory is walked with O_NOFOLLOW and every file created with O_EXCL,
/// so nothing is ever written outside the directory, whatever the archive holds. Files get mode 0644, directories
/// 0755, the owner of this process, no times.
/// On failure the directory is removed again (or emptied, when it existed before).
/// </summary>
public static class ArchiveExtractor
{
    const uint DirectoryMode = 0x1ED; // 0755
    const uint FileMode = 0x1A4;      // 0644

    /// <summary>Extracts <paramref name="archive"/> into <paramref name="directory"/> (created; if it exists it must be empty).</summary>
    /// <returns>The number of files written.</returns>
    /// <exception cref="StoreException">InvalidArgument: a refused entry, a truncated or corrupt tar, a directory not empty.</exception>
    public static int Extract(Stream archive, string directory)
    {
        bool created = Prepare(directory);
        int root = FilesAt.Open(-100 /* AT_FDCWD */, Encoding.UTF8.GetBytes(directory), OpenFlags.ReadOnly | OpenFlags.Directory | OpenFlags.NoFollow);
        if (root < 0)
            throw new StoreException(StoreErrorKind.Internal, $"extract archive: open {directory}: {LinuxException.Describe(-root)}");
        try
        {
            using var tar = ArchiveStreams.Decompress(archive, leaveOpen: true);
            using var reader = new TarReader(tar, bufferSize: 256 * 1024);
            int files = 0;
            while (reader.Next() is { } entry)
            {
                if (Unpack(root, reader, entry))
                    files++;
            }
            return files;
        }
        catch (Exception e)
        {
            FilesAt.Close(root);
            root = -1;
            Clean(directory, created);
            if (e is StoreException { Kind: StoreErrorKind.InvalidArgument } s && !s.Message.StartsWith("invalid archive", StringComparison.Ordinal))
                throw new StoreException(StoreErrorKind.InvalidArgument, "invalid archive: " + s.Message, s);
            throw;
        }
        finally
        {
            FilesAt.Close(root);
        }
    }

    /// <summary>Writes one entry; true when it was a file.</summary>
    static bool Unpack(int root, TarReader reader, TarEntry entry)
    {
        var components = Components(entry);
        if (components.Count == 0)
        {
            if (entry.Type == TarEntryType.Directory)
                return false; // "./": the directory itself
            throw Refused(entry, "names the archive's root");
        }
        switch (entry.Type)
        {
            case TarEntryType.Directory:
                Close(OpenDirectories(root, components, components.Count, entry), root);
                return false;
            case TarEntryType.Regular or TarEntryType.RegularA or TarEntryType.Contiguous when !entry.IsSparse:
                WriteFile(root, reader, entry, components);
                return true;
            case TarEntryType.Symlink when IsLegacyLayerLink(components, entry.LinkNameBytes):
                int parent = OpenDirectories(root, components, components.Count - 1, entry);
                try
                {
                    int error = FilesAt.Symlink(entry.LinkNameBytes, parent, components[^1]);
                    if (error != 0)
                        throw Failed(entry, error);
                }
                finally
                {
                    Close(parent, root);
                }
                return false;
            default:
                throw Refused(entry, $"is {Describe(entry)}: an image archive holds only regular files and directories");
        }
    }

    static void WriteFile(int root, TarReader reader, TarEntry entry, List<byte[]> components)
    {
        int parent = OpenDirectories(root, components, components.Count - 1, entry);
        int fd;
        try
        {
            fd = FilesAt.Open(parent, components[^1], OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Exclusive | OpenFlags.NoFollow, FileMode);
        }
        finally
        {
            Close(parent, root);
        }
        if (fd == -Errno.EEXIST)
            throw Refused(entry, "appears twice");
        if (fd < 0)
            throw Failed(entry, -fd);
        try
        {
            while (true)
            {
                var chunk = reader.ReadData();
                if (chunk.IsEmpty)
                    break;
                int error = FilesAt.Write(fd, chunk);
                if (error != 0)
                    throw Failed(entry, error);
            }
        }
        finally
        {
            FilesAt.Close(fd);
        }
    }

    /// <summary>
    /// Opens (making what is missing, 0755) the first <paramref name="count"/> components below the root, one at a
    /// time with O_NOFOLLOW: a symlink or a file in the way is an error, never followed. Returns the root itself for 0.
    /// </summary>
    static int OpenDirectories(int root, List<byte[]> components, int count, TarEntry entry)
    {
        int current = root;
        for (int i = 0; i < count; i++)
        {
            int next = FilesAt.Open(current, components[i], OpenFlags.ReadOnly | OpenFlags.Directory | OpenFlags.NoFollow);
            if (next == -Errno.ENOENT)
            {
                int error = FilesAt.MakeDirectory(current, components[i], DirectoryMode);
                if (error != 0 && error != Errno.EEXIST)
                {
                    Close(current, root);
                    throw Failed(entry, error);
                }
                next = FilesAt.Open(current, components[i], OpenFlags.ReadOnly | OpenFlags.Directory | OpenFlags.NoFollow);
            }
            Close(current, root);
            if (next < 0)
            {
                throw next is -Errno.ENOTDIR or -Errno.ELOOP
                    ? Refused(entry, $"needs \"{Encoding.UTF8.GetString(components[i])}\" to be a directory, and the archive has a file there")
                    : Failed(entry, -next);
            }
            current = next;
        }
        return current;
    }

    static void Close(int fd, int root = -1)
    {
        if (fd != root)
            FilesAt.Close(fd);
    }

    /// <summary>The entry's name split into components, "." and empty ones dropped; absolute names and ".." refused.</summary>
    static List<byte[]> Components(TarEntry entry)
    {
        var name = entry.NameBytes;
        if (!name.IsEmpty && name[0] == '/')
            throw Refused(entry, "has an absolute name");
        var components = new List<byte[]>();
        foreach (var range in name.Split((byte)'/'))
        {
            var component = name[range];
            if (component.IsEmpty || component.SequenceEqual("."u8))
                continue;
            if (component.SequenceEqual(".."u8))
                throw Refused(entry, "has a \"..\" component: it would be written outside the archive's directory");
            if (component.Contains((byte)0))
                throw Refused(entry, "has a NUL byte in its name");
            components.Add(component.ToArray());
        }
        return components;
    }

    /// <summary>
    /// The links legacy archives have for a layer file: Docker's save links a layer shared by two layer ids,
    /// &lt;id&gt;/layer.tar → ../&lt;other id&gt;/layer.tar; containers/image (skopeo, podman) links every one,
    /// &lt;id&gt;/layer.tar → ../&lt;diffID hex&gt;.tar.
    /// </summary>
    static bool IsLegacyLayerLink(List<byte[]> components, ReadOnlySpan<byte> target)
    {
        if (components.Count != 2 || !IsHex64(components[0]) || !components[1].AsSpan().SequenceEqual("layer.tar"u8)
            || !target.StartsWith("../"u8) || target.Length < 3 + 64 || !IsHex64(target.Slice(3, 64)))
            return false;
        var rest = target[(3 + 64)..];
        return rest.SequenceEqual("/layer.tar"u8) || rest.SequenceEqual(".tar"u8);
    }

    static bool IsHex64(ReadOnlySpan<byte> s)
    {
        if (s.Length != 64)
            return false;
        foreach (byte c in s)
        {
            if (c is not ((>= (byte)'0' and <= (byte)'9') or (>= (byte)'a' and <= (byte)'f')))
                return false;
        }
        return true;
    }

    static string Describe(TarEntry entry) => entry.Type switch
    {
        TarEntryType.Symlink => $"a symbolic link to \"{entry.LinkName}\"",
        TarEntryType.HardLink => $"a hard link to \"{entry.LinkName}\"",
        TarEntryType.CharDevice => "a character device",
        TarEntryType.BlockDevice => "a block device",
        TarEntryType.Fifo => "a fifo",
        _ when entry.IsSparse => "a sparse file",
        _ => $"of tar type '{(char)entry.Type}'",
    };

    static StoreException Refused(TarEntry entry, string why) => StoreException.Invalid($"invalid archive: entry \"{entry.Name}\" {why}");

    static StoreException Failed(TarEntry entry, int errno)
        => new(StoreErrorKind.Internal, $"extract archive: entry \"{entry.Name}\": {LinuxException.Describe(errno)}");

    /// <summary>Makes the directory, or checks an existing one is empty; true when it was made here.</summary>
    static bool Prepare(string directory)
    {
        if (Directory.Exists(directory))
        {
            if (Directory.EnumerateFileSystemEntries(directory).Any())
                throw StoreException.Invalid($"extract archive: {directory} is not empty");
            return false;
        }
        Directory.CreateDirectory(directory);
        return true;
    }

    /// <summary>Removes what a failed extraction wrote (symlinks are removed, never followed).</summary>
    static void Clean(string directory, bool created)
    {
        try
        {
            if (created)
            {
                Directory.Delete(directory, recursive: true);
                return;
            }
            foreach (var path in Directory.EnumerateFileSystemEntries(directory))
            {
                if (Directory.Exists(path) && !File.GetAttributes(path).HasFlag(FileAttributes.ReparsePoint))
                    Directory.Delete(path, recursive: true);
                else
                    File.Delete(path);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The original failure matters more; what is left is in the caller's directory.
        }
    }
}
