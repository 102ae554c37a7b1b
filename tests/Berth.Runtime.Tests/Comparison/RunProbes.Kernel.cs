using Berth.Oci.Runtime;

namespace Berth.Runtime.Tests.Comparison;

internal static partial class RunProbes
{
    /// <summary>For each of the process's namespaces, whether it is the host's (this test's) or its own.</summary>
    static string NamespaceScript =>
        $"host='{string.Join(' ', Directory.GetFiles("/proc/self/ns").Select(f => new FileInfo(f).LinkTarget))}'\n" +
        """for f in /proc/self/ns/*; do l=$(readlink $f); case " $host " in *" $l "*) echo "${f##*/} host";; *) echo "${f##*/} own";; esac; done""";

    const string CgroupFile = "cat /proc/self/cgroup";

    /// <summary>Namespaces, network, sysctls, the device cgroup, seccomp.</summary>
    static IEnumerable<RunProbe> Kernel()
    {
        yield return new("namespaces of the default spec", NamespaceScript)
        {
            Sanity = o => Assert.Contains("net own", o),
        };

        yield return new("a cgroup namespace shows the container's cgroup as the root", $"{NamespaceScript}; {CgroupFile}; grep ' /sys/fs/cgroup' /proc/self/mountinfo")
        {
            Spec = s => s.Linux!.Namespaces!.Add(new LinuxNamespace { Type = "cgroup" }),
            Normalize = MountTable.Normalize,
            PeersDiffer = CrunMountDetails,
            FollowRunc = true,
            Sanity = o => Assert.Contains("cgroup own", o),
        };

        yield return new("the host's network, ipc and uts namespaces", $"{NamespaceScript}; hostname; grep -E ' /sys(/fs/cgroup)? ' /proc/self/mountinfo")
        {
            Spec = s =>
            {
                s.Linux!.Namespaces!.RemoveAll(n => n.Type is "network" or "ipc" or "uts");
                s.Hostname = null;
            },
            Normalize = MountTable.Normalize,
            PeersDiffer = CrunMountDetails,
            FollowRunc = true,
            Sanity = o => Assert.Contains("net host", o),
        };

        yield return new("hostname and domainname", "cat /proc/sys/kernel/hostname /proc/sys/kernel/domainname; hostname")
        {
            Spec = s =>
            {
                s.Hostname = "probe-host";
                s.Domainname = "probe.domain";
            },
            // domainname is runtime-spec 1.1: Debian's runc 1.1.5 ignores it (runc 1.2 sets it),
            // crun sets it. Berth sets it, as crun and newer runc do.
            PeersDiffer = "runc 1.1.5 does not know domainname",
            Sanity = o => Assert.StartsWith("probe-host\nprobe.domain\n", o),
        };

        yield return new("loopback in a new network namespace", "ip -o link show; ip -o addr show; tail -n +3 /proc/net/dev | cut -d: -f1")
        {
            Sanity = o => Assert.Contains("lo: <LOOPBACK,UP,LOWER_UP>", o),
        };

        yield return new("sysctls of the container's namespaces", "sysctl net.ipv4.ip_forward kernel.msgmax net.core.somaxconn net.ipv4.ping_group_range kernel.shmmni")
        {
            Spec = s => s.Linux!.Sysctl = new Dictionary<string, string>
            {
                ["net.ipv4.ip_forward"] = "1",
                ["kernel.msgmax"] = "12345",
                ["net.core.somaxconn"] = "333",
                ["net.ipv4.ping_group_range"] = "0 2147483647",
            },
            Sanity = o => Assert.Contains("kernel.msgmax = 12345", o),
        };

        // runc appends its always-allowed devices (null, zero, full, random, urandom, tty, ptmx,
        // pts, tun, mknod of anything) after the spec's rules, so the spec cannot take them away;
        // crun and berth do the same.
        yield return new("the devices every container has stay allowed when the spec denies them", "head -c1 /dev/zero | wc -c; head -c1 /dev/urandom | wc -c")
        {
            Spec = s => s.Linux!.Resources!.Devices!.Add(new LinuxDeviceCgroup { Allow = false, Type = "c", Major = 1, Minor = 5, Access = "rwm" }),
            Sanity = o => Assert.StartsWith("1\n1\n", o),
        };

        yield return new("a device node is usable only where a device rule allows it",
            "(exec 3</dev/loop0 && echo loop0 opened) 2>&1; (exec 3</dev/loop1 && echo loop1 opened) 2>&1")
        {
            Spec = s =>
            {
                s.Linux!.Devices =
                [
                    new LinuxDevice { Path = "/dev/loop0", Type = "b", Major = 7, Minor = 0, FileMode = Convert.ToUInt32("600", 8) },
                    new LinuxDevice { Path = "/dev/loop1", Type = "b", Major = 7, Minor = 1, FileMode = Convert.ToUInt32("600", 8) },
                ];
                s.Linux.Resources!.Devices!.Add(new LinuxDeviceCgroup { Allow = true, Type = "b", Major = 7, Minor = 0, Access = "r" });
            },
            Sanity = o => Assert.Contains("loop1: Operation not permitted", o),
        };

        foreach (bool noNewPrivileges in new[] { true, false })
        {
            yield return new($"seccomp errno actions (no_new_privs {(noNewPrivileges ? "on" : "off")})",
                "grep -E '^(NoNewPrivs|Seccomp):' /proc/self/status; mkdir /tmp/d 2>&1; ln -s a /tmp/l 2>&1; touch /tmp/f && ls /tmp")
            {
                Spec = s =>
                {
                    s.Root!.Readonly = false;
                    s.Process!.NoNewPrivileges = noNewPrivileges;
                    s.Linux!.Seccomp = ErrnoProfile();
                },
                Sanity = o => Assert.Contains("Operation not permitted", o),
            };
        }
    }

    /// <summary>Everything allowed but mkdir (EPERM) and symlink (ENOSPC, errno 28).</summary>
    internal static LinuxSeccomp ErrnoProfile() => new()
    {
        DefaultAction = "SCMP_ACT_ALLOW",
        Syscalls =
        [
            new LinuxSyscall { Names = ["mkdir", "mkdirat"], Action = "SCMP_ACT_ERRNO", ErrnoRet = 1 },
            new LinuxSyscall { Names = ["symlink", "symlinkat"], Action = "SCMP_ACT_ERRNO", ErrnoRet = 28 },
        ],
    };
}
