using Berth.Linux;

namespace Berth.Images.Snapshots;

/// <summary>
/// Mounts what a snapshotter returns. An overlay whose options do not fit in mount(2)'s one page
/// (a deep image: each lower directory is a full path) is mounted through the new mount API
/// instead, with each lower directory given on its own ("lowerdir+", Linux 6.8).
/// </summary>
public static class SnapshotMounts
{
    /// <summary>mount(2) copies at most a page of option data; the string and its terminating zero must fit.</summary>
    const int MountDataLimit = 4095;

    public static void Mount(IReadOnlyList<MountSpec> mounts, string target)
    {
        foreach (var mount in mounts)
        {
            switch (mount.Type)
            {
                case "bind":
                    MountBind(mount, target);
                    break;
                case "overlay":
                    MountOverlay(mount, target);
                    break;
                default:
                    throw StoreException.Invalid($"mount {target}: unsupported mount type {mount.Type}");
            }
        }
    }

    /// <summary>Unmounts <paramref name="target"/> (and anything mounted below it); nothing mounted there is not an error.</summary>
    public static void Unmount(string target)
    {
        while (true)
        {
            int errno = Mounts.TryUnmount(target, UnmountFlags.NoFollow);
            if (errno == Errno.EINVAL || errno == Errno.ENOENT)
                return; // not a mount point (any more)
            if (errno == Errno.EBUSY)
            {
                // Something is mounted inside, or a process is in it: detach, the kernel finishes when it can.
                Mounts.Unmount(target, UnmountFlags.Detach | UnmountFlags.NoFollow);
                return;
            }
            if (errno != 0)
                throw new LinuxException(errno, $"unmount {target}");
        }
    }

    static void MountBind(MountSpec mount, string target)
    {
        bool readOnly = mount.Options.Contains("ro");
        var recursive = mount.Options.Contains("rbind") ? MountFlags.Recursive : MountFlags.None;
        Mounts.Mount(mount.Source, target, null, MountFlags.Bind | recursive);
        if (readOnly)
        {
            try
            {
                Mounts.Mount(null, target, null, MountFlags.Bind | MountFlags.Remount | MountFlags.ReadOnly);
            }
            catch
            {
                Mounts.TryUnmount(target, UnmountFlags.Detach);
                throw;
            }
        }
    }

    static void MountOverlay(MountSpec mount, string target)
    {
        var options = mount.Options.Where(o => o != "ro" && o != "rw").ToList();
        var flags = mount.Options.Contains("ro") ? MountFlags.ReadOnly : MountFlags.None;
        string data = string.Join(',', options);
        if (data.Length <= MountDataLimit)
        {
            Mounts.Mount(mount.Source, target, "overlay", flags, data);
            return;
        }
        using var context = FileSystemContext.Open("overlay");
        context.SetString("source", mount.Source);
        foreach (string option in options)
        {
            int equals = option.IndexOf('=');
            if (equals < 0)
            {
                context.SetFlag(option);
                continue;
            }
            string key = option[..equals], value = option[(equals + 1)..];
            if (key == "lowerdir")
            {
                foreach (string lower in value.Split(':'))
                    context.SetString("lowerdir+", lower);
            }
            else
            {
                context.SetString(key, value);
            }
        }
        if (flags.HasFlag(MountFlags.ReadOnly))
            context.SetFlag("ro");
        context.MountAt(target);
    }
}
