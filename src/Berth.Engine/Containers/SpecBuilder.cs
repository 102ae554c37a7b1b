using Berth.Engine.Model;
using Berth.Oci;
using Berth.Oci.Runtime;

namespace Berth.Engine.Containers;

/// <summary>
/// A container's OCI runtime spec, as dockerd makes it (moby daemon/oci_linux.go): Docker's default
/// capabilities, mounts, masked and read-only paths and device rules; the process from the merged
/// config; resources, sysctls, ulimits and security options from the host config.
/// </summary>
public static class SpecBuilder
{
    public sealed record Inputs(ContainerRecord Container, string Rootfs, string ContainerDirectory, IReadOnlyList<Ulimit> DefaultUlimits, string CgroupParent)
    {
        /// <summary>The daemon's defaults for --init, seccomp and no-new-privileges.</summary>
        public EngineOptions Engine { get; init; } = new();

        /// <summary>The network namespace to join (made by the engine, or a peer container's); null: a new one, or the host's.</summary>
        public string? NetworkNamespace { get; init; }

        /// <summary>Legacy links' variables, before the container's own (which win).</summary>
        public IReadOnlyList<string> LinkEnvironment { get; init; } = [];
    }

    public static RuntimeSpec Build(Inputs inputs)
    {
        var record = inputs.Container;
        var config = record.Config;
        var host = record.HostConfig;
        var user = ContainerUsers.Resolve(inputs.Rootfs, config.User, host.GroupAdd);
        string hostname = string.IsNullOrEmpty(config.Hostname) ? record.ShortId : config.Hostname;
        var security = Security.SecurityOptions.Parse(host.SecurityOpt, inputs.Engine.NoNewPrivileges);
        bool init = ContainerInit.IsWanted(host, inputs.Engine);
        var capabilities = Capabilities(host);

        var spec = new RuntimeSpec
        {
            OciVersion = OciVersion.Runc,
            Root = new Root { Path = inputs.Rootfs, Readonly = host.ReadonlyRootfs },
            Hostname = hostname,
            Domainname = string.IsNullOrEmpty(config.Domainname) ? null : config.Domainname,
            Process = new Process
            {
                Terminal = config.Tty,
                Args = init ? ContainerInit.Args([record.Path, .. record.Args]) : [record.Path, .. record.Args],
                Env = Environment(config, hostname, inputs.LinkEnvironment),
                Cwd = string.IsNullOrEmpty(config.WorkingDir) ? "/" : config.WorkingDir,
                User = new User { Uid = user.Uid, Gid = user.Gid, AdditionalGids = user.AdditionalGids.Count == 0 ? null : [.. user.AdditionalGids] },
                Capabilities = capabilities,
                NoNewPrivileges = security.NoNewPrivileges,
                OomScoreAdj = host.OomScoreAdj == 0 ? null : host.OomScoreAdj,
                Rlimits = Rlimits(host.Ulimits is { Count: > 0 } ? host.Ulimits : inputs.DefaultUlimits),
                ConsoleSize = config.Tty && host.ConsoleSize is [var h, var w, ..] && h > 0 && w > 0 ? new ConsoleSize { Height = (uint)h, Width = (uint)w } : null,
            },
            Mounts = init ? [.. Mounts(record, inputs.ContainerDirectory, security), ContainerInit.Mount(inputs.Engine.InitPath)] : Mounts(record, inputs.ContainerDirectory, security),
            Linux = new Berth.Oci.Runtime.Linux
            {
                CgroupsPath = CgroupsPath(record, inputs.CgroupParent),
                Namespaces = Namespaces(host, inputs.NetworkNamespace),
                Resources = Resources(host),
                Sysctl = host.Sysctls is { Count: > 0 } ? new Dictionary<string, string>(host.Sysctls) : null,
                MaskedPaths = host.Privileged ? null : [.. host.MaskedPaths ?? [.. DockerDefaults.MaskedPaths]],
                ReadonlyPaths = host.Privileged ? null : [.. host.ReadonlyPaths ?? [.. DockerDefaults.ReadonlyPaths]],
                Seccomp = Security.ContainerSeccomp.For(host.Privileged, security.SeccompProfile,
                    inputs.Engine.SeccompProfileJson ?? inputs.Engine.SeccompProfile, capabilities.Bounding ?? []),
            },
        };
        return spec;
    }

    /// <summary>linux.cgroupsPath: the container's own cgroup under its cgroup parent, or the daemon's (dockerd's cgroupfs layout).</summary>
    public static string CgroupsPath(ContainerRecord record, string defaultParent)
        => $"{(string.IsNullOrEmpty(record.HostConfig.CgroupParent) ? defaultParent : record.HostConfig.CgroupParent).TrimEnd('/')}/{record.Id}";

    static List<string> Environment(ContainerConfig config, string hostname, IReadOnlyList<string> links)
    {
        var env = new List<string> { DockerDefaults.Path, "HOSTNAME=" + hostname };
        if (config.Tty)
            env.Add("TERM=xterm");
        env.AddRange(links);
        foreach (string e in config.Env ?? [])
        {
            string key = ConfigMerge.KeyOf(e);
            env.RemoveAll(x => ConfigMerge.KeyOf(x) == key);
            env.Add(e);
        }
        return env;
    }

    /// <summary>
    /// "All capabilities" (--privileged, --cap-add ALL): those in this daemon's bounding set, as containerd's
    /// WithAllCurrentCapabilities; one the host withholds (CAP_SYS_RESOURCE on some machines) cannot be granted.
    /// </summary>
    static readonly Lazy<List<string>> HeldCapabilities = new(() => Berth.Linux.Capabilities.NamesIn(Berth.Linux.Capabilities.Current().Bounding));

    static LinuxCapabilities Capabilities(HostConfig host)
    {
        var caps = host.Privileged ? [.. HeldCapabilities.Value] : new List<string>(DockerDefaults.Capabilities);
        var drop = (host.CapDrop ?? []).Select(CapabilityName).ToList();
        if (drop.Contains("ALL"))
            caps.Clear();
        else
            caps.RemoveAll(drop.Contains);
        foreach (string add in (host.CapAdd ?? []).Select(CapabilityName))
        {
            if (add == "ALL")
            {
                caps = [.. HeldCapabilities.Value];
                continue;
            }
            if (!caps.Contains(add))
                caps.Add(add);
        }
        return new LinuxCapabilities { Bounding = caps, Effective = [.. caps], Permitted = [.. caps] };
    }

    /// <summary>"net_admin", "NET_ADMIN" and "CAP_NET_ADMIN" are one capability; unknown ones are Docker's error.</summary>
    public static string CapabilityName(string name)
    {
        string upper = name.ToUpperInvariant();
        if (upper == "ALL")
            return upper;
        string full = upper.StartsWith("CAP_", StringComparison.Ordinal) ? upper : "CAP_" + upper;
        if (!Berth.Linux.Capabilities.AllNames.Contains(full))
            throw EngineException.Invalid($"unknown capability: \"{full}\"");
        return full;
    }

    static List<Rlimit>? Rlimits(IReadOnlyList<Ulimit> ulimits)
    {
        if (ulimits.Count == 0)
            return null;
        return [.. ulimits.Select(u => new Rlimit { Type = "RLIMIT_" + u.Name.ToUpperInvariant(), Soft = (ulong)u.Soft, Hard = (ulong)u.Hard })];
    }

    static List<Mount> Mounts(ContainerRecord record, string containerDirectory, Security.SecurityOptions security)
    {
        var host = record.HostConfig;
        long shm = host.ShmSize > 0 ? host.ShmSize : DockerDefaults.ShmSize;
        var mounts = DockerDefaults.Mounts(shm);
        // Privileged: /sys and the cgroups read-write; writable-cgroups: the cgroups only (moby's WithMounts).
        foreach (var m in mounts.Where(m => (host.Privileged && m.Destination == "/sys") || ((host.Privileged || security.WritableCgroups) && m.Type == "cgroup")))
            m.Options = [.. m.Options!.Where(o => o != "ro"), "rw"];
        foreach (var (file, target) in new[] { ("resolv.conf", "/etc/resolv.conf"), ("hostname", "/etc/hostname"), ("hosts", "/etc/hosts") })
        {
            string source = System.IO.Path.Combine(containerDirectory, file);
            if (File.Exists(source))
                mounts.Add(new Mount { Destination = target, Type = "bind", Source = source, Options = ["rbind", "rprivate"] });
        }
        foreach (var (target, options) in host.Tmpfs ?? [])
        {
            mounts.RemoveAll(m => m.Destination == target);
            var opts = new List<string> { "nosuid", "nodev", "noexec" };
            if (!string.IsNullOrEmpty(options))
                opts.AddRange(options.Split(','));
            mounts.Add(new Mount { Destination = target, Type = "tmpfs", Source = "tmpfs", Options = opts });
        }
        Volumes.OciMounts.AddTo(mounts, record);
        return mounts;
    }

    static List<LinuxNamespace> Namespaces(HostConfig host, string? networkNamespace)
    {
        var namespaces = new List<LinuxNamespace> { new() { Type = LinuxNamespaceType.Mount } };
        AddUnlessHost(namespaces, LinuxNamespaceType.Pid, host.PidMode);
        AddUnlessHost(namespaces, LinuxNamespaceType.Ipc, host.IpcMode);
        AddUnlessHost(namespaces, LinuxNamespaceType.Uts, host.UTSMode);
        if (networkNamespace is not null)
            namespaces.Add(new LinuxNamespace { Type = LinuxNamespaceType.Network, Path = networkNamespace });
        else
            AddUnlessHost(namespaces, LinuxNamespaceType.Network, host.NetworkMode.StartsWith("container:", StringComparison.Ordinal) ? "" : host.NetworkMode);
        if (host.CgroupnsMode == "private" || (string.IsNullOrEmpty(host.CgroupnsMode) && Directory.Exists("/sys/fs/cgroup/cgroup.controllers")))
            namespaces.Add(new LinuxNamespace { Type = LinuxNamespaceType.Cgroup });
        return namespaces;
    }

    static void AddUnlessHost(List<LinuxNamespace> namespaces, string type, string? mode)
    {
        if (mode == "host")
            return;
        if (mode is not null && mode.StartsWith("container:", StringComparison.Ordinal))
            throw EngineException.Invalid($"{type} mode {mode} is not supported yet");
        namespaces.Add(new LinuxNamespace { Type = type });
    }

    static LinuxResources Resources(HostConfig host)
    {
        var resources = new LinuxResources { Devices = host.Privileged ? [new LinuxDeviceCgroup { Allow = true, Access = "rwm" }] : DockerDefaults.DeviceRules() };
        if (host.Memory > 0 || host.MemoryReservation > 0 || host.MemorySwap != 0 || host.MemorySwappiness is >= 0 || host.OomKillDisable == true)
        {
            resources.Memory = new LinuxMemory
            {
                Limit = host.Memory > 0 ? host.Memory : null,
                Reservation = host.MemoryReservation > 0 ? host.MemoryReservation : null,
                Swap = host.MemorySwap != 0 ? host.MemorySwap : (host.Memory > 0 ? host.Memory * 2 : null),
                Swappiness = host.MemorySwappiness is >= 0 and var s ? (ulong)s : null,
                DisableOomKiller = host.OomKillDisable == true ? true : null,
            };
        }
        long quota = host.CpuQuota;
        long period = host.CpuPeriod;
        if (host.NanoCpus > 0)
        {
            period = 100_000;
            quota = host.NanoCpus * period / 1_000_000_000;
        }
        if (host.CpuShares > 0 || quota > 0 || period > 0 || !string.IsNullOrEmpty(host.CpusetCpus) || !string.IsNullOrEmpty(host.CpusetMems))
        {
            resources.Cpu = new LinuxCpu
            {
                Shares = host.CpuShares > 0 ? (ulong)host.CpuShares : null,
                Quota = quota > 0 ? quota : null,
                Period = period > 0 ? (ulong)period : null,
                Cpus = string.IsNullOrEmpty(host.CpusetCpus) ? null : host.CpusetCpus,
                Mems = string.IsNullOrEmpty(host.CpusetMems) ? null : host.CpusetMems,
            };
        }
        if (host.PidsLimit is > 0 or -1)
            resources.Pids = new LinuxPids { Limit = host.PidsLimit.Value };
        if (host.BlkioWeight > 0)
            resources.BlockIO = new LinuxBlockIO { Weight = host.BlkioWeight };
        return resources;
    }
}
