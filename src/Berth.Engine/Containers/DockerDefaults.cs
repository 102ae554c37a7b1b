using Berth.Oci.Runtime;

namespace Berth.Engine.Containers;

/// <summary>What Docker gives every container unless told otherwise (moby's oci/defaults.go).</summary>
public static class DockerDefaults
{
    public static readonly string[] Capabilities =
    [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID",
        "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE",
    ];

    public static readonly string[] MaskedPaths =
    [
        "/proc/asound", "/proc/acpi", "/proc/interrupts", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
        "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware", "/sys/devices/virtual/powercap",
    ];

    public static readonly string[] ReadonlyPaths = ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"];

    public const string Path = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    public const long ShmSize = 64 * 1024 * 1024;

    /// <summary>The device cgroup: nothing but mknod of any node and the usual devices (null, zero, full, random, urandom, tty, pts, ptmx, tun).</summary>
    public static List<LinuxDeviceCgroup> DeviceRules() =>
    [
        new() { Allow = false, Access = "rwm" },
        new() { Allow = true, Type = "c", Access = "m" },
        new() { Allow = true, Type = "b", Access = "m" },
        Char(1, 3), Char(1, 8), Char(1, 7), Char(5, 0), Char(1, 5), Char(1, 9),
        new() { Allow = true, Type = "c", Major = 136, Access = "rwm" },
        Char(5, 2), Char(10, 200),
    ];

    static LinuxDeviceCgroup Char(long major, long minor) => new() { Allow = true, Type = "c", Major = major, Minor = minor, Access = "rwm" };

    public static List<Mount> Mounts(long shmSize) =>
    [
        new() { Destination = "/proc", Type = "proc", Source = "proc", Options = ["nosuid", "noexec", "nodev"] },
        new() { Destination = "/dev", Type = "tmpfs", Source = "tmpfs", Options = ["nosuid", "strictatime", "mode=755", "size=65536k"] },
        new() { Destination = "/dev/pts", Type = "devpts", Source = "devpts", Options = ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"] },
        new() { Destination = "/sys", Type = "sysfs", Source = "sysfs", Options = ["nosuid", "noexec", "nodev", "ro"] },
        new() { Destination = "/sys/fs/cgroup", Type = "cgroup", Source = "cgroup", Options = ["ro", "nosuid", "noexec", "nodev"] },
        new() { Destination = "/dev/mqueue", Type = "mqueue", Source = "mqueue", Options = ["nosuid", "noexec", "nodev"] },
        new() { Destination = "/dev/shm", Type = "tmpfs", Source = "shm", Options = ["nosuid", "noexec", "nodev", "mode=1777", $"size={shmSize}"] },
    ];
}
