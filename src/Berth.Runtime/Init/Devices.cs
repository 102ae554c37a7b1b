using Berth.Linux;
using Berth.Oci.Runtime;

namespace Berth.Runtime.Init;

/// <summary>Device nodes and the /dev symlinks every container gets (runc's defaults), and spec devices.</summary>
internal static class Devices
{
    /// <summary>null, zero, full, random, urandom, tty: character devices, mode 0666, root-owned.</summary>
    static readonly LinuxDevice[] Default =
    [
        new() { Path = "/dev/null", Type = "c", Major = 1, Minor = 3, FileMode = FileModes.Device, Uid = 0, Gid = 0 },
        new() { Path = "/dev/zero", Type = "c", Major = 1, Minor = 5, FileMode = FileModes.Device, Uid = 0, Gid = 0 },
        new() { Path = "/dev/full", Type = "c", Major = 1, Minor = 7, FileMode = FileModes.Device, Uid = 0, Gid = 0 },
        new() { Path = "/dev/random", Type = "c", Major = 1, Minor = 8, FileMode = FileModes.Device, Uid = 0, Gid = 0 },
        new() { Path = "/dev/urandom", Type = "c", Major = 1, Minor = 9, FileMode = FileModes.Device, Uid = 0, Gid = 0 },
        new() { Path = "/dev/tty", Type = "c", Major = 5, Minor = 0, FileMode = FileModes.Device, Uid = 0, Gid = 0 },
    ];

    /// <summary>The rules a device cgroup always allows for the default devices (and pts/ptmx).</summary>
    public static IReadOnlyList<LinuxDevice> DefaultDevices => Default;

    public static void CreateDefault(RootPaths paths, bool inUserNamespace)
    {
        foreach (var d in Default)
            Create(paths, d, inUserNamespace);
    }

    public static void CreateSymlinks(RootPaths paths)
    {
        using var dev = paths.OpenDirectory("/dev", create: true);
        var links = new List<(string Target, string Name)>
        {
            ("/proc/self/fd", "fd"),
            ("/proc/self/fd/0", "stdin"),
            ("/proc/self/fd/1", "stdout"),
            ("/proc/self/fd/2", "stderr"),
            ("pts/ptmx", "ptmx"),
        };
        if (File.Exists("/proc/kcore"))
            links.Add(("/proc/kcore", "core"));
        foreach (var (target, name) in links)
        {
            if (name == "ptmx")
                Files.TryUnlinkAt(dev, name);
            int errno = Files.TrySymlinkAt(target, dev, name);
            if (errno is not (0 or Errno.EEXIST))
                throw new LinuxException(errno, $"symlink /dev/{name}");
        }
    }

    /// <summary>mknod in the rootfs, or, inside a user namespace (where mknod is refused), a bind
    /// mount of the host's node onto an empty file.</summary>
    public static void Create(RootPaths paths, LinuxDevice device, bool inUserNamespace)
    {
        if (string.IsNullOrEmpty(device.Path) || device.Path[0] != '/')
            throw RuntimeError.Invalid($"linux.devices: path \"{device.Path}\" is not absolute");
        uint type = device.Type switch
        {
            "c" or "u" => Files.S_IFCHR,
            "b" => Files.S_IFBLK,
            "p" => Files.S_IFIFO,
            _ => throw RuntimeError.Invalid($"linux.devices: {device.Path}: unknown device type \"{device.Type}\""),
        };
        string parent = Path.GetDirectoryName(device.Path)!;
        string name = Path.GetFileName(device.Path);
        if (inUserNamespace)
        {
            string host = device.Path;
            using var target = paths.OpenMountTarget(device.Path, directory: false);
            Mounts.Mount(host, Files.ProcPath(target), null, MountFlags.Bind);
            return;
        }
        using var dir = paths.OpenDirectory(parent, create: true);
        Files.TryUnlinkAt(dir, name);
        uint mode = (device.FileMode ?? FileModes.Device) & FileModes.Octal(7777);
        Files.MakeNodeAt(dir, name, type | mode, (uint)device.Major, (uint)device.Minor);
        using var node = Files.OpenInRoot(dir, name, OpenFlags.Path | OpenFlags.NoFollow, ResolveFlags.InRoot);
        // mknod applies the umask; set the mode and owner exactly.
        File.SetUnixFileMode(Files.ProcPath(node), (UnixFileMode)mode);
        Files.Chown(Files.ProcPath(node), device.Uid ?? 0, device.Gid ?? 0);
    }
}
