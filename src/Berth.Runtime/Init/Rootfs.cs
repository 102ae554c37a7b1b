using Berth.Linux;
using Berth.Oci.Runtime;
using Microsoft.Win32.SafeHandles;
using OciMount = Berth.Oci.Runtime.Mount;

namespace Berth.Runtime.Init;

/// <summary>
/// Builds the container's root file system inside its new mount namespace, in runc's order:
/// propagation, the rootfs bind, spec mounts, devices, then pivot_root (or chroot); after the
/// console is set up, read-only tmpfs mounts and a read-only root; after the hostname and
/// sysctls, read-only and masked paths.
/// </summary>
internal sealed class Rootfs(InitConfig config) : IDisposable
{
    readonly RuntimeSpec _spec = config.Spec;
    RootPaths _paths = null!;
    bool _devIsBound;
    readonly List<(string Destination, MountFlags Flags)> _readOnlyAtFinish = [];

    /// <summary>Everything before pivot_root.</summary>
    public void Prepare()
    {
        Mounts.Mount(null, "/", null, RootPropagation(_spec.Linux?.RootfsPropagation) | PrePivotRecursion(_spec.Linux?.RootfsPropagation));
        MakeParentMountPrivate(config.Rootfs);
        Mounts.Mount(config.Rootfs, config.Rootfs, null, MountFlags.Bind | MountFlags.Recursive);
        // Opened after the bind: descriptors must point into the mount that pivot_root will use.
        _paths = new RootPaths(config.Rootfs);

        foreach (var m in _spec.Mounts ?? [])
            MountOne(m);

        if (!_devIsBound)
        {
            Devices.CreateDefault(_paths, config.InUserNamespace);
            Devices.CreateSymlinks(_paths);
        }
        foreach (var device in _spec.Linux?.Devices ?? [])
            Devices.Create(_paths, device, config.InUserNamespace);
        if (_spec.Process?.Terminal == true)
            using (_paths.OpenMountTarget("/dev/console", directory: false))
            {
            }
        CreateWorkingDirectory(_spec.Process?.Cwd);
    }

    /// <summary>
    /// As runc: a working directory the image lacks is made (0755, with its parents) before the
    /// root may become read-only, so that chdir finds it. Made inside the root as the kernel
    /// resolves it there: a symlink in the image, or a descriptor's /proc/self/fd/N, cannot lead
    /// the mkdir outside.
    /// </summary>
    void CreateWorkingDirectory(string? cwd)
    {
        if (string.IsNullOrEmpty(cwd) || cwd[0] != '/')
            return; // the chdir reports it
        try
        {
            _paths.CreateDirectories(cwd);
        }
        catch (LinuxException e)
        {
            throw new RuntimeError(ErrorKind.InvalidArgument, $"process.cwd: cannot make \"{cwd}\": {LinuxException.Describe(e.Errno)}", e);
        }
    }

    /// <summary>Switches to the new root: pivot_root, or chroot with --no-pivot.</summary>
    public void Enter()
    {
        if (config.NoPivot)
        {
            Files.ChangeDirectory(config.Rootfs);
            Mounts.Mount(config.Rootfs, "/", null, MountFlags.Move);
            Files.ChangeRoot(".");
            Files.ChangeDirectory("/");
            return;
        }
        // runc's pivot_root(".", "."): the old root ends up stacked under the new one and is
        // detached from inside, so no directory in the image is needed to park it.
        using var oldRoot = Files.Open("/", OpenFlags.Directory | OpenFlags.ReadOnly);
        using var newRoot = Files.Open(config.Rootfs, OpenFlags.Directory | OpenFlags.ReadOnly);
        Files.ChangeDirectory(newRoot);
        Mounts.PivotRoot(".", ".");
        Files.ChangeDirectory(oldRoot);
        // Make the old root slave first, so that unmounting it does not propagate to the host.
        Mounts.Mount(null, ".", null, MountFlags.Slave | MountFlags.Recursive);
        Mounts.Unmount(".", UnmountFlags.Detach);
        Files.ChangeDirectory("/");
        // Applied to the new "/" only now: before pivot_root a shared root would have
        // propagated to the host. Recursively only for the r-forms, as crun and runc 1.2 do:
        // "shared" makes the root mount shared and leaves the mounts below it as they are.
        if (_spec.Linux?.RootfsPropagation is { Length: > 0 } propagation)
            Mounts.Mount(null, "/", null, RootPropagation(propagation) | (propagation[0] == 'r' ? MountFlags.Recursive : MountFlags.None));
    }

    /// <summary>
    /// runc's finalizeRootfs, after pivot_root and the console: read-only tmpfs mounts and /dev,
    /// then a read-only root. A read-only tmpfs becomes read-only only now, when the mount points
    /// below it and the device nodes in /dev are made, and through a bind remount: the tmpfs itself
    /// stays writable (its superblock says rw), as with runc and crun.
    /// </summary>
    public void Finish()
    {
        foreach (var (destination, flags) in _readOnlyAtFinish)
            Mounts.Mount(null, destination, null, flags | MountFlags.Bind | MountFlags.Remount | MountFlags.ReadOnly | LockedFlags(destination));
        if (_spec.Root?.Readonly == true)
        {
            var flags = MountFlags.Bind | MountFlags.Remount | MountFlags.ReadOnly | LockedFlags("/");
            Mounts.Mount(null, "/", null, flags);
        }
    }

    /// <summary>
    /// After the hostname and sysctls, as runc: read-only and masked paths. They come after
    /// <see cref="Finish"/>, so a file masked with the container's /dev/null under a read-only /dev
    /// is itself read-only, as with runc.
    /// </summary>
    public void ProtectPaths()
    {
        var linux = _spec.Linux;
        foreach (var path in linux?.ReadonlyPaths ?? [])
            MakeReadOnly(path);
        foreach (var path in linux?.MaskedPaths ?? [])
            Mask(path);
    }

    /// <summary>
    /// Whether the propagation given to the copy of the host's tree before the rootfs bind is
    /// recursive. "shared" and "unbindable" concern the root mount only, as with runc and crun (a
    /// recursive rshared would make every bind of a host mount, such as the cgroup hierarchies, a
    /// shared one). Private and slave stay recursive, so that no mount made for the container
    /// propagates to the host whatever the host's mounts are.
    /// </summary>
    static MountFlags PrePivotRecursion(string? propagation)
        => propagation is "shared" or "unbindable" ? MountFlags.None : MountFlags.Recursive;

    static MountFlags RootPropagation(string? propagation) => propagation switch
    {
        null or "" => MountFlags.Slave,
        "shared" or "rshared" => MountFlags.Shared,
        "slave" or "rslave" => MountFlags.Slave,
        "private" or "rprivate" => MountFlags.Private,
        "unbindable" or "runbindable" => MountFlags.Unbindable,
        _ => throw RuntimeError.Invalid($"linux.rootfsPropagation: unknown propagation \"{propagation}\""),
    };

    /// <summary>pivot_root refuses a new root whose parent mount is shared.</summary>
    static void MakeParentMountPrivate(string rootfs)
    {
        var mount = MountInfo.Containing(rootfs);
        if (mount is not null && mount.IsShared)
            Mounts.Mount(null, mount.MountPoint, null, MountFlags.Private);
    }

    void MountOne(OciMount m)
    {
        if (string.IsNullOrEmpty(m.Destination) || m.Destination[0] != '/')
            throw RuntimeError.Invalid($"mounts: destination \"{m.Destination}\" is not an absolute path");
        var options = MountOptions.Parse(m.Options);
        string type = m.Type ?? "";
        if (options.IsBind || type == "bind")
        {
            BindMount(m, options);
            return;
        }
        switch (type)
        {
            case "cgroup":
            case "cgroup2":
                MountCgroups(m, options);
                return;
            case "sysfs":
                MountSysfs(m, options);
                return;
            case "tmpfs":
                MountTmpfs(m, options);
                return;
        }
        using var target = _paths.OpenMountTarget(m.Destination, directory: true);
        string where = Files.ProcPath(target);
        var flags = options.Flags & ~MountFlags.PropagationMask;
        int errno = Mounts.TryMount(m.Source ?? type, where, type, flags, options.Data);
        if (errno != 0)
            throw new LinuxException(errno, $"mount {type} to {m.Destination}");
        ApplyPropagationAndAttributes(where, m.Destination, options);
    }

    void BindMount(OciMount m, MountOptions options)
    {
        string source = m.Source ?? throw RuntimeError.Invalid($"mounts: bind mount to {m.Destination} has no source");
        bool isDirectory = Directory.Exists(source);
        if (!isDirectory && !File.Exists(source) && !IsSpecialFile(source))
            throw new RuntimeError(ErrorKind.InvalidArgument, $"mounts: bind source {source} for {m.Destination}: no such file or directory");
        using var target = _paths.OpenMountTarget(m.Destination, isDirectory);
        string where = Files.ProcPath(target);
        var bindFlags = MountFlags.Bind | (options.Flags & MountFlags.Recursive);
        Mounts.Mount(source, where, null, bindFlags);
        // Flags other than bind/rec only take effect on a remount of the bind.
        var rest = options.Flags & ~(MountFlags.Bind | MountFlags.Recursive | MountFlags.Remount | MountFlags.PropagationMask);
        if (rest != 0)
        {
            using var mounted = _paths.TryOpen(m.Destination) ?? throw new LinuxException(Errno.ENOENT, $"reopen {m.Destination}");
            string again = Files.ProcPath(mounted);
            Mounts.Mount(null, again, null, MountFlags.Bind | MountFlags.Remount | rest | LockedFlags(again));
        }
        if (m.Destination == "/dev")
            _devIsBound = true;
        using (var mounted = _paths.TryOpen(m.Destination) ?? throw new LinuxException(Errno.ENOENT, $"reopen {m.Destination}"))
            ApplyPropagationAndAttributes(Files.ProcPath(mounted), m.Destination, options);
    }

    void MountTmpfs(OciMount m, MountOptions options)
    {
        // As runc: a tmpfs over an existing directory takes that directory's mode (a 0755 /run in
        // the image stays 0755, not tmpfs's 1777) and, with tmpcopyup, its content. The covered
        // directory stays reachable through this descriptor after the mount.
        using var covered = _paths.TryOpen(m.Destination);
        uint? coveredMode = covered is null ? null : FileStatus.Of(covered).Permissions;
        using var target = _paths.OpenMountTarget(m.Destination, directory: true);
        string where = Files.ProcPath(target);
        // Mounted writable first so that anything copied in and the mount points below it can be
        // made; "ro" is applied in Finish.
        var flags = options.Flags & ~(MountFlags.ReadOnly | MountFlags.PropagationMask);
        int errno = Mounts.TryMount(m.Source ?? "tmpfs", where, "tmpfs", flags, options.Data);
        if (errno != 0)
            throw new LinuxException(errno, $"mount tmpfs to {m.Destination}");
        using var mounted = _paths.TryOpen(m.Destination)!;
        string again = Files.ProcPath(mounted);
        if (options.CopyUp && covered is not null)
        {
            try
            {
                TmpfsCopyUp.Copy(Files.ProcPath(covered), again);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or LinuxException)
            {
                throw new RuntimeError(ErrorKind.Internal, $"mounts: tmpcopyup of {m.Destination}: {e.Message}", e);
            }
        }
        if (coveredMode is uint mode)
            File.SetUnixFileMode(again, (UnixFileMode)mode);
        if ((options.Flags & MountFlags.ReadOnly) != 0)
            _readOnlyAtFinish.Add((m.Destination, flags));
        ApplyPropagationAndAttributes(again, m.Destination, options);
    }

    void MountSysfs(OciMount m, MountOptions options)
    {
        using var target = _paths.OpenMountTarget(m.Destination, directory: true);
        string where = Files.ProcPath(target);
        var flags = options.Flags & ~MountFlags.PropagationMask;
        int errno = Mounts.TryMount(m.Source ?? "sysfs", where, "sysfs", flags, options.Data);
        if (errno == Errno.EPERM && !config.NewNetworkNamespace)
        {
            // Without a network namespace of its own the kernel refuses a new sysfs: show the
            // host's, read-only, as runc does.
            Mounts.Mount("/sys", where, null, MountFlags.Bind | MountFlags.Recursive);
            using var mounted = _paths.TryOpen(m.Destination)!;
            Mounts.Mount(null, Files.ProcPath(mounted), null, MountFlags.Bind | MountFlags.Remount | MountFlags.ReadOnly | (flags & (MountFlags.NoSuid | MountFlags.NoDev | MountFlags.NoExec)));
            return;
        }
        if (errno != 0)
            throw new LinuxException(errno, $"mount sysfs to {m.Destination}");
        using (var mounted = _paths.TryOpen(m.Destination)!)
            ApplyPropagationAndAttributes(Files.ProcPath(mounted), m.Destination, options);
    }

    /// <summary>
    /// cgroup mounts show the container's own cgroup: v2 as one cgroup2 (or bind of the container's
    /// directory without a cgroup namespace), v1 as a tmpfs with each hierarchy bound inside.
    /// </summary>
    void MountCgroups(OciMount m, MountOptions options)
    {
        var flags = options.Flags & ~MountFlags.PropagationMask;
        var readOnly = flags & MountFlags.ReadOnly;
        var keep = flags & (MountFlags.NoSuid | MountFlags.NoDev | MountFlags.NoExec);
        var mounts = config.CgroupMounts;
        if (mounts.Count == 1 && mounts[0].Name.Length == 0)
        {
            using var target = _paths.OpenMountTarget(m.Destination, directory: true);
            string where = Files.ProcPath(target);
            int errno = config.NewCgroupNamespace ? Mounts.TryMount("cgroup2", where, "cgroup2", flags) : Errno.EPERM;
            if (errno != 0)
            {
                Mounts.Mount(mounts[0].HostPath, where, null, MountFlags.Bind | MountFlags.Recursive);
                using var bound = _paths.TryOpen(m.Destination)!;
                Mounts.Mount(null, Files.ProcPath(bound), null, MountFlags.Bind | MountFlags.Remount | readOnly | keep);
            }
            return;
        }
        using (var target = _paths.OpenMountTarget(m.Destination, directory: true))
            Mounts.Mount("tmpfs", Files.ProcPath(target), "tmpfs", keep, "mode=755");
        foreach (var hierarchy in mounts)
        {
            string name = hierarchy.Name.Length == 0 ? "unified" : hierarchy.Name;
            string destination = $"{m.Destination.TrimEnd('/')}/{name}";
            using (var sub = _paths.OpenMountTarget(destination, directory: true))
                Mounts.Mount(hierarchy.HostPath, Files.ProcPath(sub), null, MountFlags.Bind | MountFlags.Recursive);
            using (var sub = _paths.TryOpen(destination)!)
                Mounts.Mount(null, Files.ProcPath(sub), null, MountFlags.Bind | MountFlags.Remount | readOnly | keep);
            foreach (var alias in hierarchy.Aliases)
            {
                using var dir = _paths.OpenDirectory(m.Destination, create: false);
                Files.TrySymlinkAt(name, dir, alias);
            }
        }
        // The tmpfs holding them stays writable even with "ro", as runc and crun leave it
        // (runc's mountCgroupV1 mounts it with its own flags, not the spec mount's).
    }

    static void ApplyPropagationAndAttributes(string where, string destination, MountOptions options)
    {
        foreach (var propagation in options.Propagation)
        {
            int errno = Mounts.TryMount(null, where, null, propagation);
            if (errno != 0)
                throw new LinuxException(errno, $"change propagation of {destination}");
        }
        if (options.RecursiveSet != 0 || options.RecursiveClear != 0)
            Mounts.SetAttributesRecursive(where, options.RecursiveSet, options.RecursiveClear);
    }

    /// <summary>Flags of an existing mount that a remount inside a user namespace may not drop.</summary>
    static MountFlags LockedFlags(string path) => Mounts.CurrentFlags(path)
        & (MountFlags.NoSuid | MountFlags.NoDev | MountFlags.NoExec | MountFlags.NoAtime | MountFlags.NoDirAtime | MountFlags.RelAtime);

    static bool IsSpecialFile(string path)
    {
        try
        {
            return (File.GetAttributes(path) & FileAttributes.Device) != 0 || new FileInfo(path).Exists || new FileInfo(path).LinkTarget is not null;
        }
        catch (IOException)
        {
            return false;
        }
    }

    static void MakeReadOnly(string path)
    {
        if (!Path.Exists(path))
            return;
        Mounts.Mount(path, path, null, MountFlags.Bind | MountFlags.Recursive);
        Mounts.Mount(null, path, null, MountFlags.Bind | MountFlags.Remount | MountFlags.ReadOnly | MountFlags.Recursive | LockedFlags(path));
    }

    static void Mask(string path)
    {
        if (Directory.Exists(path))
        {
            Mounts.Mount("tmpfs", path, "tmpfs", MountFlags.ReadOnly, null);
            return;
        }
        if (!Path.Exists(path) && new FileInfo(path).LinkTarget is null)
            return;
        int errno = Mounts.TryMount("/dev/null", path, null, MountFlags.Bind);
        if (errno is not (0 or Errno.ENOENT))
            throw new LinuxException(errno, $"mask {path}");
    }

    public void Dispose() => _paths?.Dispose();
}
