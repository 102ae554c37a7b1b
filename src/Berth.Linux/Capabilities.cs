using Berth.Linux.Interop;

namespace Berth.Linux;

/// <summary>The five capability sets of a thread, as bit masks (bit n = capability n).</summary>
public readonly record struct CapabilitySets(ulong Bounding, ulong Effective, ulong Permitted, ulong Inheritable, ulong Ambient);

/// <summary>Capability names and numbers, and capget/capset/prctl on the calling thread.</summary>
public static unsafe class Capabilities
{
    static readonly string[] Names =
    [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
        "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
        "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE",
        "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT",
        "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
        "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN",
        "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
        "CAP_CHECKPOINT_RESTORE",
    ];

    public static IReadOnlyList<string> AllNames => Names;

    /// <summary>The highest capability this kernel knows (/proc/sys/kernel/cap_last_cap).</summary>
    public static int LastCap { get; } = ReadLastCap();

    public static bool TryParse(string name, out int cap)
    {
        cap = Array.IndexOf(Names, name.ToUpperInvariant());
        if (cap < 0 && !name.StartsWith("CAP_", StringComparison.OrdinalIgnoreCase))
            cap = Array.IndexOf(Names, "CAP_" + name.ToUpperInvariant());
        return cap >= 0;
    }

    /// <summary>The names of the capabilities in <paramref name="mask"/>, in number order.</summary>
    public static List<string> NamesIn(ulong mask)
        => [.. Enumerable.Range(0, Math.Min(64, Names.Length)).Where(cap => (mask & (1UL << cap)) != 0).Select(Name)];

    public static string Name(int cap) => cap >= 0 && cap < Names.Length ? Names[cap] : $"CAP_{cap}";

    /// <summary>The sets of the calling thread (bounding read with PR_CAPBSET_READ, ambient with PR_CAP_AMBIENT).</summary>
    public static CapabilitySets Current()
    {
        var header = new CapHeader { Version = Version3, Pid = 0 };
        var data = stackalloc CapData[2];
        LinuxException.ThrowIfError(Libc.syscall(Syscalls.CapGet, (long)&header, (long)data, 0, 0, 0), "capget");
        ulong bounding = 0, ambient = 0;
        for (int cap = 0; cap <= LastCap; cap++)
        {
            if (Libc.prctl(Libc.PR_CAPBSET_READ, (nuint)cap, 0, 0, 0) == 1)
                bounding |= 1UL << cap;
            if (Libc.prctl(Libc.PR_CAP_AMBIENT, 1 /* IS_SET */, (nuint)cap, 0, 0) == 1)
                ambient |= 1UL << cap;
        }
        return new CapabilitySets(bounding,
            data[0].Effective | (ulong)data[1].Effective << 32,
            data[0].Permitted | (ulong)data[1].Permitted << 32,
            data[0].Inheritable | (ulong)data[1].Inheritable << 32,
            ambient);
    }

    /// <summary>Drops every capability not in <paramref name="keep"/> from the bounding set (needs CAP_SETPCAP).</summary>
    public static void LimitBounding(ulong keep)
    {
        for (int cap = 0; cap <= LastCap; cap++)
        {
            if ((keep & (1UL << cap)) != 0)
                continue;
            if (Libc.prctl(Libc.PR_CAPBSET_DROP, (nuint)cap, 0, 0, 0) < 0)
            {
                var e = LinuxException.FromLastError($"drop {Name(cap)} from the bounding set");
                if (e.Errno != Errno.EINVAL)
                    throw e;
            }
        }
    }

    /// <summary>capset(2) of effective, permitted and inheritable for the calling thread.</summary>
    public static void Set(ulong effective, ulong permitted, ulong inheritable)
    {
        var header = new CapHeader { Version = Version3, Pid = 0 };
        var data = stackalloc CapData[2];
        data[0] = new CapData { Effective = (uint)effective, Permitted = (uint)permitted, Inheritable = (uint)inheritable };
        data[1] = new CapData { Effective = (uint)(effective >> 32), Permitted = (uint)(permitted >> 32), Inheritable = (uint)(inheritable >> 32) };
        LinuxException.ThrowIfError(Libc.syscall(Syscalls.CapSet, (long)&header, (long)data, 0, 0, 0), "capset");
    }

    /// <summary>
    /// Raises each capability of the mask in the ambient set. The kernel allows only capabilities
    /// that are both permitted and inheritable; the others are skipped, as runc skips them.
    /// Returns the mask actually raised.
    /// </summary>
    public static ulong RaiseAmbient(ulong ambient)
    {
        Libc.prctl(Libc.PR_CAP_AMBIENT, Libc.PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
        ulong raised = 0;
        for (int cap = 0; cap <= LastCap; cap++)
        {
            if ((ambient & (1UL << cap)) == 0)
                continue;
            if (Libc.prctl(Libc.PR_CAP_AMBIENT, Libc.PR_CAP_AMBIENT_RAISE, (nuint)cap, 0, 0) == 0)
                raised |= 1UL << cap;
            else if (System.Runtime.InteropServices.Marshal.GetLastPInvokeError() != Errno.EPERM)
                throw LinuxException.FromLastError($"raise ambient {Name(cap)}");
        }
        return raised;
    }

    /// <summary>Keep the permitted set across the uid change from 0 (PR_SET_KEEPCAPS).</summary>
    public static void SetKeepCapabilities(bool keep)
    {
        if (Libc.prctl(Libc.PR_SET_KEEPCAPS, keep ? 1u : 0u, 0, 0, 0) < 0)
            throw LinuxException.FromLastError("set keep capabilities");
    }

    /// <summary>Parses a hex mask line of /proc/PID/status (CapEff: 00000000a80425fb).</summary>
    public static ulong ParseMask(string hex) => Convert.ToUInt64(hex.Trim(), 16);

    const uint Version3 = 0x20080522;

    struct CapHeader
    {
        public uint Version;
        public int Pid;
    }

    struct CapData
    {
        public uint Effective;
        public uint Permitted;
        public uint Inheritable;
    }

    static int ReadLastCap()
    {
        try
        {
            return int.Parse(File.ReadAllText("/proc/sys/kernel/cap_last_cap").Trim());
        }
        catch (IOException)
        {
            return Names.Length - 1;
        }
    }
}
