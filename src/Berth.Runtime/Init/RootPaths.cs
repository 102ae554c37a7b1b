using Berth.Linux;
using Microsoft.Win32.SafeHandles;

namespace Berth.Runtime.Init;

/// <summary>
/// Paths inside the container's root file system, resolved by the kernel (openat2 with
/// RESOLVE_IN_ROOT): a symlink or ".." in the image can never lead a mount, device or mkdir
/// outside the root. Mounts are made onto /proc/self/fd/N of the resolved target.
/// </summary>
public sealed class RootPaths : IDisposable
{
    readonly SafeFileHandle _root;

    public RootPaths(string rootfs)
    {
        Rootfs = rootfs;
        _root = Files.Open(rootfs, OpenFlags.Directory | OpenFlags.Path);
    }

    public string Rootfs { get; }

    /// <summary>Creates every missing directory of <paramref name="path"/> (a path inside the root).</summary>
    public void CreateDirectories(string path, uint mode = FileModes.Directory)
    {
        using var fd = OpenDirectory(path, create: true, mode);
    }

    /// <summary>Opens (O_PATH) the directory, creating missing components when asked.</summary>
    public SafeFileHandle OpenDirectory(string path, bool create, uint mode = FileModes.Directory)
    {
        string relative = Relative(path);
        if (relative.Length == 0)
            return Files.OpenInRoot(_root, ".", OpenFlags.Path | OpenFlags.Directory);
        try
        {
            return Files.OpenInRoot(_root, relative, OpenFlags.Path | OpenFlags.Directory);
        }
        catch (LinuxException e) when (create && e.Errno == Errno.ENOENT)
        {
        }
        // Missing components are made along the path as the root would resolve it (a symlink in
        // the image to /x means rootfs/x), one mkdirat at a time inside the directory the kernel
        // resolved, so that nothing is ever made outside the root.
        var current = Files.OpenInRoot(_root, ".", OpenFlags.Path | OpenFlags.Directory);
        foreach (var part in Resolve(relative).Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            SafeFileHandle next;
            try
            {
                next = OpenBelow(current, part, OpenFlags.Path | OpenFlags.Directory);
            }
            catch (LinuxException e) when (e.Errno == Errno.ENOENT)
            {
                MakeDirectoryAt(current, part, mode);
                next = OpenBelow(current, part, OpenFlags.Path | OpenFlags.Directory);
            }
            current.Dispose();
            current = next;
        }
        return current;
    }

    /// <summary>
    /// The path with every symlink resolved as if the rootfs were "/" (absolute targets restart at
    /// the rootfs, ".." stops there): the lexical half of runc's securejoin.
    /// </summary>
    public string Resolve(string path)
    {
        var pending = new Stack<string>(Relative(path).Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse());
        var resolved = new List<string>();
        int links = 0;
        while (pending.Count > 0)
        {
            string part = pending.Pop();
            if (part == ".")
                continue;
            if (part == "..")
            {
                if (resolved.Count > 0)
                    resolved.RemoveAt(resolved.Count - 1);
                continue;
            }
            string host = Path.Combine(Rootfs, string.Join('/', resolved), part);
            string? target = new FileInfo(host).LinkTarget;
            if (target is null)
            {
                resolved.Add(part);
                continue;
            }
            if (++links > 255)
                throw new LinuxException(Errno.ELOOP, $"resolve {path} in the rootfs");
            if (target.StartsWith('/'))
                resolved.Clear();
            foreach (var t in target.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse())
                pending.Push(t);
        }
        return string.Join('/', resolved);
    }

    /// <summary>Opens (O_PATH) a mount target, creating it as a directory or an empty file as needed.</summary>
    public SafeFileHandle OpenMountTarget(string path, bool directory)
    {
        string relative = Relative(path);
        if (directory || relative.Length == 0)
            return OpenDirectory(path, create: true);
        string resolved = Resolve(relative);
        string parent = Path.GetDirectoryName("/" + resolved) ?? "/";
        string name = Path.GetFileName(resolved);
        using var dir = OpenDirectory(parent, create: true);
        try
        {
            return OpenBelow(dir, name, OpenFlags.Path);
        }
        catch (LinuxException e) when (e.Errno == Errno.ENOENT)
        {
            using (OpenBelow(dir, name, OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Exclusive | OpenFlags.NoFollow, FileModes.File))
            {
            }
            return OpenBelow(dir, name, OpenFlags.Path);
        }
    }

    /// <summary>Opens an existing path inside the root, or returns null if it does not exist.</summary>
    public SafeFileHandle? TryOpen(string path, OpenFlags flags = OpenFlags.Path)
    {
        try
        {
            return Files.OpenInRoot(_root, Relative(path) is { Length: > 0 } r ? r : ".", flags);
        }
        catch (LinuxException e) when (e.Errno is Errno.ENOENT or Errno.ENOTDIR)
        {
            return null;
        }
    }

    /// <summary>The host path of an open descriptor inside the root, for messages.</summary>
    public static string Describe(SafeFileHandle fd) => Files.RealPath(fd) ?? Files.ProcPath(fd);

    static SafeFileHandle OpenBelow(SafeFileHandle dir, string name, OpenFlags flags, uint mode = 0)
        => Files.OpenInRoot(dir, name, flags, ResolveFlags.InRoot | ResolveFlags.NoMagicLinks, mode);

    static void MakeDirectoryAt(SafeFileHandle dir, string name, uint mode)
    {
        int errno = Files.TryMakeDirectoryAt(dir, name, mode);
        if (errno != 0 && errno != Errno.EEXIST)
            throw new LinuxException(errno, $"mkdir {name} in {Describe(dir)}");
    }

    static string Relative(string path) => path.TrimStart('/').TrimEnd('/');

    public void Dispose() => _root.Dispose();
}
