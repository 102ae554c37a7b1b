namespace Berth.Oci.Runtime;

/// <summary>
/// The config that <c>runc spec</c> writes (runc 1.1's <c>specconv.Example</c>), and with <c>--rootless</c>
/// the same after runc's <c>specconv.ToRootless</c>. Serialized with <see cref="OciJson.WriteIndented{T}(T)"/>
/// it is byte-identical to runc's file, <c>ociVersion</c> included (<see cref="OciVersion.Runc"/>).
/// </summary>
public static class DefaultSpec
{
    /// <summary>The default spec; rootless maps container root to the caller's effective uid and gid.</summary>
    public static RuntimeSpec Create(bool rootless)
    {
        if (!rootless)
        {
            return CreateRootful();
        }
        (uint uid, uint gid) = EffectiveIds();
        return Create(rootless: true, uid, gid);
    }

    /// <summary>As <see cref="Create(bool)"/>, with the host ids of a rootless spec's single-id mappings given.</summary>
    public static RuntimeSpec Create(bool rootless, uint hostUid, uint hostGid)
    {
        RuntimeSpec spec = CreateRootful();
        if (rootless)
        {
            ToRootless(spec, hostUid, hostGid);
        }
        return spec;
    }

    private static RuntimeSpec CreateRootful()
    {
        List<string> caps() => ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"];
        return new RuntimeSpec
        {
            OciVersion = OciVersion.Runc,
            Process = new Process
            {
                Terminal = true,
                User = new User { Uid = 0, Gid = 0 },
                Args = ["sh"],
                Env = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"],
                Cwd = "/",
                NoNewPrivileges = true,
                Capabilities = new LinuxCapabilities
                {
                    Bounding = caps(),
                    Permitted = caps(),
                    Effective = caps(),
                    Ambient = caps(),
                },
                Rlimits = [new Rlimit { Type = "RLIMIT_NOFILE", Hard = 1024, Soft = 1024 }],
            },
            Root = new Root { Path = "rootfs", Readonly = true },
            Hostname = "runc",
            Mounts =
            [
                new Mount { Destination = "/proc", Type = "proc", Source = "proc" },
                new Mount
                {
                    Destination = "/dev", Type = "tmpfs", Source = "tmpfs",
                    Options = ["nosuid", "strictatime", "mode=755", "size=65536k"],
                },
                new Mount
                {
                    Destination = "/dev/pts", Type = "devpts", Source = "devpts",
                    Options = ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"],
                },
                new Mount
                {
                    Destination = "/dev/shm", Type = "tmpfs", Source = "shm",
                    Options = ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"],
                },
                new Mount
                {
                    Destination = "/dev/mqueue", Type = "mqueue", Source = "mqueue",
                    Options = ["nosuid", "noexec", "nodev"],
                },
                new Mount
                {
                    Destination = "/sys", Type = "sysfs", Source = "sysfs",
                    Options = ["nosuid", "noexec", "nodev", "ro"],
                },
                new Mount
                {
                    Destination = "/sys/fs/cgroup", Type = "cgroup", Source = "cgroup",
                    Options = ["nosuid", "noexec", "nodev", "relatime", "ro"],
                },
            ],
            Linux = new Linux
            {
                MaskedPaths =
                [
                    "/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
                    "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware", "/proc/scsi",
                ],
                ReadonlyPaths = ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"],
                Resources = new LinuxResources
                {
                    Devices = [new LinuxDeviceCgroup { Allow = false, Access = "rwm" }],
                },
                Namespaces =
                [
                    new LinuxNamespace { Type = LinuxNamespaceType.Pid },
                    new LinuxNamespace { Type = LinuxNamespaceType.Network },
                    new LinuxNamespace { Type = LinuxNamespaceType.Ipc },
                    new LinuxNamespace { Type = LinuxNamespaceType.Uts },
                    new LinuxNamespace { Type = LinuxNamespaceType.Mount },
                ],
            },
        };
    }

    // runc's specconv.ToRootless: no network namespace, a user namespace mapping root to the caller,
    // /sys bind-mounted instead of a new sysfs, no uid=/gid= mount options, no cgroup settings.
    private static void ToRootless(RuntimeSpec spec, uint hostUid, uint hostGid)
    {
        Linux linux = spec.Linux!;
        List<LinuxNamespace> namespaces = linux.Namespaces!
            .Where(ns => ns.Type is not (LinuxNamespaceType.Network or LinuxNamespaceType.User))
            .ToList();
        namespaces.Add(new LinuxNamespace { Type = LinuxNamespaceType.User });
        linux.Namespaces = namespaces;
        linux.UidMappings = [new IdMapping { ContainerId = 0, HostId = hostUid, Size = 1 }];
        linux.GidMappings = [new IdMapping { ContainerId = 0, HostId = hostGid, Size = 1 }];

        List<Mount> mounts = [];
        foreach (Mount mount in spec.Mounts!)
        {
            if (mount.Destination.TrimEnd('/') == "/sys")
            {
                mounts.Add(new Mount
                {
                    Destination = "/sys", Type = "none", Source = "/sys",
                    Options = ["rbind", "nosuid", "noexec", "nodev", "ro"],
                });
                continue;
            }
            List<string>? options = mount.Options?
                .Where(o => !o.StartsWith("gid=", StringComparison.Ordinal) && !o.StartsWith("uid=", StringComparison.Ordinal))
                .ToList();
            mount.Options = options is { Count: > 0 } ? options : null; // Go appends to a nil slice
            mounts.Add(mount);
        }
        spec.Mounts = mounts;
        linux.Resources = null;
    }

    // Effective uid and gid from /proc/self/status ("Uid:\treal\teffective\tsaved\tfs").
    private static (uint Uid, uint Gid) EffectiveIds()
    {
        uint? uid = null, gid = null;
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("Uid:", StringComparison.Ordinal))
            {
                uid = EffectiveField(line);
            }
            else if (line.StartsWith("Gid:", StringComparison.Ordinal))
            {
                gid = EffectiveField(line);
            }
        }
        return (uid ?? throw new InvalidOperationException("/proc/self/status: no Uid line"),
                gid ?? throw new InvalidOperationException("/proc/self/status: no Gid line"));
    }

    private static uint EffectiveField(string line) =>
        uint.Parse(line.Split('\t', StringSplitOptions.RemoveEmptyEntries)[2], System.Globalization.CultureInfo.InvariantCulture);
}
