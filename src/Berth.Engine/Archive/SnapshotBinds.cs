using System.Globalization;
using Berth.Images;
using Berth.Linux;

namespace Berth.Engine.Archive;

/// <summary>
/// Docker's mountVolumes for a copy to or from a stopped container: its binds mounted into its root (mounted for
/// the moment), parents first, read-only ones read-only, so that docker cp reads and writes them as the container
/// will see them. A mount point is resolved inside the root, so that a symlink in the image cannot send the bind
/// elsewhere, and made when missing, as Docker makes it (a directory, or an empty file for a file); a bind whose
/// source is gone is left out. The binds go with the root: unmounting it detaches them.
/// </summary>
public static class SnapshotBinds
{
    public static void Mount(ContainerRoot root, IEnumerable<ContainerBind> binds)
    {
        foreach (var bind in binds.Where(b => GoPath.IsAbs(b.Source)).OrderBy(b => GoPath.Clean(b.Target).Count(c => c == '/')))
        {
            if (!Path.Exists(bind.Source))
                continue;
            OnMountPoint(root, bind, fd => Mounts.Mount(bind.Source, ProcPath(fd), null, MountFlags.Bind | MountFlags.Recursive));
            // Opened again, the mount point now shows the bind itself, whose whole tree is made read-only.
            if (bind.ReadOnly)
                OnMountPoint(root, bind, fd => Mounts.SetAttributesRecursive(ProcPath(fd), MountFlags.ReadOnly, MountFlags.None));
        }
    }

    /// <summary>Runs <paramref name="action"/> on the mount point, opened (made first if missing) inside the root.</summary>
    static void OnMountPoint(ContainerRoot root, ContainerBind bind, Action<int> action)
    {
        int fd = root.Open(bind.Target, OpenFlags.Path);
        if (fd == -Errno.ENOENT)
        {
            Make(root, GoPath.Clean("/" + bind.Target), Directory.Exists(bind.Source));
            fd = root.Open(bind.Target, OpenFlags.Path);
        }
        if (fd < 0)
            throw new LinuxException(-fd, $"open mount point {bind.Target}");
        try
        {
            action(fd);
        }
        finally
        {
            FilesAt.Close(fd);
        }
    }

    /// <summary>os.MkdirAll of the mount point's parents (0755) inside the root, then the mount point itself.</summary>
    static void Make(ContainerRoot root, string target, bool directory)
    {
        string parent = "/";
        var names = target.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (int i = 0; i < names.Length; i++)
        {
            int dirFd = root.Open(parent, OpenFlags.Path | OpenFlags.Directory);
            if (dirFd < 0)
                throw new LinuxException(-dirFd, $"open {parent}");
            var name = System.Text.Encoding.UTF8.GetBytes(names[i]);
            int errno;
            if (i < names.Length - 1 || directory)
                errno = FilesAt.MakeDirectory(dirFd, name, 0x1ED);
            else
            {
                int file = FilesAt.Open(dirFd, name, OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Exclusive | OpenFlags.NoFollow, 0x1ED);
                errno = file < 0 ? -file : 0;
                FilesAt.Close(file);
            }
            FilesAt.Close(dirFd);
            if (errno is not (0 or Errno.EEXIST))
                throw new LinuxException(errno, $"make mount point {target}");
            parent = GoPath.Join(parent, names[i]);
        }
    }

    static string ProcPath(int fd) => string.Create(CultureInfo.InvariantCulture, $"/proc/self/fd/{fd}");
}
