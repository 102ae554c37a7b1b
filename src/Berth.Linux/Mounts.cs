using Berth.Linux.Interop;

namespace Berth.Linux;

[Flags]
public enum MountFlags : ulong
{
    None = 0,
    ReadOnly = 1,
    NoSuid = 2,
    NoDev = 4,
    NoExec = 8,
    Synchronous = 16,
    Remount = 32,
    Mandlock = 64,
    DirSync = 128,
    NoSymFollow = 256,
    NoAtime = 1024,
    NoDirAtime = 2048,
    Bind = 4096,
    Move = 8192,
    Recursive = 16384,
    Silent = 32768,
    PosixAcl = 1 << 16,
    Unbindable = 1 << 17,
    Private = 1 << 18,
    Slave = 1 << 19,
    Shared = 1 << 20,
    RelAtime = 1 << 21,
    StrictAtime = 1 << 24,
    LazyTime = 1 << 25,

    PropagationMask = Unbindable | Private | Slave | Shared,
}

[Flags]
public enum UnmountFlags
{
    None = 0,
    Force = 1,
    Detach = 2,
    Expire = 4,
    NoFollow = 8,
}

/// <summary>mount(2), umount2(2) and pivot_root(2).</summary>
public static class Mounts
{
    public static void Mount(string? source, string target, string? fsType, MountFlags flags, string? data = null)
    {
        if (Libc.mount(source, target, fsType, (ulong)flags, string.IsNullOrEmpty(data) ? null : data) < 0)
            throw LinuxException.FromLastError(Describe(source, target, fsType, flags));
    }

    /// <summary>Like <see cref="Mount"/>, but returns the errno instead of throwing (0 on success).</summary>
    public static int TryMount(string? source, string target, string? fsType, MountFlags flags, string? data = null)
    {
        if (Libc.mount(source, target, fsType, (ulong)flags, string.IsNullOrEmpty(data) ? null : data) < 0)
            return System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
        return 0;
    }

    public static void Unmount(string target, UnmountFlags flags = UnmountFlags.None)
    {
        if (Libc.umount2(target, (int)flags) < 0)
            throw LinuxException.FromLastError($"unmount {target}");
    }

    public static int TryUnmount(string target, UnmountFlags flags = UnmountFlags.None)
        => Libc.umount2(target, (int)flags) < 0 ? System.Runtime.InteropServices.Marshal.GetLastPInvokeError() : 0;

    /// <summary>pivot_root(new_root, put_old).</summary>
    public static void PivotRoot(string newRoot, string putOld)
    {
        var a = System.Runtime.InteropServices.Marshal.StringToCoTaskMemUTF8(newRoot);
        var b = System.Runtime.InteropServices.Marshal.StringToCoTaskMemUTF8(putOld);
        try
        {
            if (Libc.syscall(Syscalls.PivotRoot, a, b, 0, 0, 0) < 0)
                throw LinuxException.FromLastError($"pivot_root {newRoot}");
        }
        finally
        {
            System.Runtime.InteropServices.Marshal.FreeCoTaskMem(a);
            System.Runtime.InteropServices.Marshal.FreeCoTaskMem(b);
        }
    }

    /// <summary>The mount flags (MS_*) of the mount holding <paramref name="path"/>, from statfs(2).</summary>
    public static unsafe MountFlags CurrentFlags(string path)
    {
        StatFs buf;
        if (Libc.statfs(path, &buf) < 0)
            throw LinuxException.FromLastError($"statfs {path}");
        // ST_* values equal the MS_* ones for these bits.
        const long known = (long)(MountFlags.ReadOnly | MountFlags.NoSuid | MountFlags.NoDev | MountFlags.NoExec | MountFlags.Synchronous
            | MountFlags.Mandlock | MountFlags.NoAtime | MountFlags.NoDirAtime | MountFlags.RelAtime | MountFlags.NoSymFollow);
        return (MountFlags)(buf.Flags & known);
    }

    /// <summary>mount_setattr(2) with AT_RECURSIVE: sets and clears attributes on a whole mount tree (rro, rnosuid, ...).</summary>
    public static unsafe void SetAttributesRecursive(string path, MountFlags set, MountFlags clear)
    {
        var attr = stackalloc ulong[4];
        attr[0] = ToAttr(set);
        attr[1] = ToAttr(clear);
        if ((clear & (MountFlags.NoAtime | MountFlags.StrictAtime | MountFlags.RelAtime)) != 0 || (set & MountFlags.NoAtime) != 0)
            attr[1] |= 0x70; // MOUNT_ATTR__ATIME: the atime mode is one field
        attr[2] = 0;
        attr[3] = 0;
        nint p = System.Runtime.InteropServices.Marshal.StringToCoTaskMemUTF8(path);
        try
        {
            if (Libc.syscall(Syscalls.MountSetattr, Libc.AT_FDCWD, p, 0x8000 /* AT_RECURSIVE */, (long)attr, 32) < 0)
                throw LinuxException.FromLastError($"mount_setattr {path}");
        }
        finally
        {
            System.Runtime.InteropServices.Marshal.FreeCoTaskMem(p);
        }
    }

    static ulong ToAttr(MountFlags flags)
    {
        ulong a = 0;
        if ((flags & MountFlags.ReadOnly) != 0) a |= 0x1;
        if ((flags & MountFlags.NoSuid) != 0) a |= 0x2;
        if ((flags & MountFlags.NoDev) != 0) a |= 0x4;
        if ((flags & MountFlags.NoExec) != 0) a |= 0x8;
        if ((flags & MountFlags.NoAtime) != 0) a |= 0x10;
        if ((flags & MountFlags.NoDirAtime) != 0) a |= 0x80;
        if ((flags & MountFlags.NoSymFollow) != 0) a |= 0x200000;
        return a;
    }

    public static string Describe(string? source, string target, string? fsType, MountFlags flags)
    {
        if ((flags & MountFlags.Remount) != 0)
            return $"remount {target} ({flags})";
        if ((flags & MountFlags.Bind) != 0)
            return $"bind mount {source} to {target}";
        if ((flags & MountFlags.PropagationMask) != 0 && fsType is null)
            return $"change propagation of {target} ({flags & MountFlags.PropagationMask})";
        if ((flags & MountFlags.Move) != 0)
            return $"move mount {source} to {target}";
        return $"mount {fsType ?? source} to {target}";
    }
}
