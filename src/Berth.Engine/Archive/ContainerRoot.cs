using System.Globalization;
using System.Text;
using Berth.Images.Store;
using Berth.Linux;
using Microsoft.Win32.SafeHandles;

namespace Berth.Engine.Archive;

/// <summary>
/// A container's "/" as its processes see it, open for <c>docker cp</c>: for a running (or paused) container the
/// root of its init process (/proc/&lt;pid&gt;/root), so that its bind mounts, volumes and tmpfs are there as inside;
/// for a stopped one its snapshot, mounted for the moment and unmounted on dispose. Every path below it is resolved by
/// the kernel inside it (openat2 RESOLVE_IN_ROOT): symlinks, absolute or relative, and ".." never lead out.
/// </summary>
public sealed class ContainerRoot : IDisposable
{
    const ResolveFlags InRoot = ResolveFlags.InRoot | ResolveFlags.NoMagicLinks;

    readonly MountedSnapshot? _mounted;

    ContainerRoot(int fd, MountedSnapshot? mounted)
    {
        Fd = fd;
        _mounted = mounted;
    }

    /// <summary>An O_PATH descriptor of the root directory.</summary>
    public int Fd { get; private set; }

    /// <summary>A directory of this host taken as a container's root (one already mounted somewhere, a test's tree).</summary>
    public static ContainerRoot At(string directory) => new(OpenDirectory(directory), null);

    /// <summary>The root of the running process <paramref name="pid"/>.</summary>
    public static ContainerRoot OfProcess(int pid) => new(OpenDirectory(string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/root")), null);

    /// <summary>
    /// The root of a stopped container: its snapshot mounted by <paramref name="mount"/> (owned from here on), with
    /// its <paramref name="binds"/> mounted in it.
    /// </summary>
    public static ContainerRoot OfSnapshot(MountedSnapshot mount, IEnumerable<ContainerBind> binds)
    {
        ContainerRoot? root = null;
        try
        {
            root = new(OpenDirectory(mount.Path), mount);
            SnapshotBinds.Mount(root, binds);
            return root;
        }
        catch
        {
            if (root is not null)
                root.Dispose();
            else
                mount.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens <paramref name="path"/> (a path in the container, absolute or not) inside the root; the descriptor or
    /// -errno. A symlink as the last component is followed unless <paramref name="flags"/> has O_NOFOLLOW, and always
    /// when the path ends with "/" or "/.".
    /// </summary>
    public int Open(string path, OpenFlags flags) => FilesAt.OpenInRoot(Fd, Encoding.UTF8.GetBytes(path.TrimStart('/')), flags, InRoot);

    /// <summary>The lines of a regular file in the container, none when there is none (/etc/passwd for a user's ids).</summary>
    public IReadOnlyList<string> ReadLines(string path)
    {
        // Non-blocking: a FIFO planted under the name must not hang the daemon in open(2).
        int fd = Open(path, OpenFlags.ReadOnly | OpenFlags.NonBlocking);
        if (fd < 0)
            return [];
        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        if (FilesAt.Stat(fd, out var stat) != 0 || !stat.IsRegularFile)
            return [];
        using var reader = new StreamReader(new FileStream(handle, FileAccess.Read));
        var lines = new List<string>();
        while (reader.ReadLine() is { } line)
            lines.Add(line);
        return lines;
    }

    static int OpenDirectory(string path)
    {
        int fd = FilesAt.Open(-100 /* AT_FDCWD */, Encoding.UTF8.GetBytes(path), OpenFlags.Path | OpenFlags.Directory);
        if (fd < 0)
            throw new LinuxException(-fd, $"open {path}");
        return fd;
    }

    public void Dispose()
    {
        FilesAt.Close(Fd);
        Fd = -1;
        _mounted?.Dispose();
    }
}
