using Berth.Linux.Interop;

namespace Berth.Linux;

/// <summary>Resource limits by their RLIMIT_* names.</summary>
public static unsafe class Rlimits
{
    static readonly string[] Names =
    [
        "RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_DATA", "RLIMIT_STACK", "RLIMIT_CORE", "RLIMIT_RSS",
        "RLIMIT_NPROC", "RLIMIT_NOFILE", "RLIMIT_MEMLOCK", "RLIMIT_AS", "RLIMIT_LOCKS", "RLIMIT_SIGPENDING",
        "RLIMIT_MSGQUEUE", "RLIMIT_NICE", "RLIMIT_RTPRIO", "RLIMIT_RTTIME",
    ];

    public const ulong Infinity = ulong.MaxValue;

    public static bool TryParse(string name, out int resource)
    {
        resource = Array.IndexOf(Names, name);
        return resource >= 0;
    }

    public static string Name(int resource) => resource >= 0 && resource < Names.Length ? Names[resource] : resource.ToString();

    public static (ulong Soft, ulong Hard) Get(int resource, int pid = 0)
    {
        RLimit old;
        if (Libc.prlimit(pid, resource, null, &old) < 0)
            throw LinuxException.FromLastError($"get {Name(resource)}");
        return (old.Current, old.Maximum);
    }

    public static void Set(int resource, ulong soft, ulong hard, int pid = 0)
    {
        var limit = new RLimit { Current = soft, Maximum = hard };
        if (Libc.prlimit(pid, resource, &limit, null) < 0)
            throw LinuxException.FromLastError($"set {Name(resource)} to soft {soft} hard {hard}");
    }
}
