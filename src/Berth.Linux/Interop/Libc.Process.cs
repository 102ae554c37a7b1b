using System.Runtime.InteropServices;

namespace Berth.Linux.Interop;

internal static unsafe partial class Libc
{
    [LibraryImport(Name, SetLastError = true)]
    internal static partial int getpid();

    [LibraryImport(Name, SetLastError = true)]
    internal static partial uint geteuid();

    [LibraryImport(Name, SetLastError = true)]
    internal static partial uint getegid();

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int kill(int pid, int sig);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int waitpid(int pid, int* status, int options);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int wait4(int pid, int* status, int options, RUsage* rusage);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int setsid();

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int setresuid(uint ruid, uint euid, uint suid);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int setresgid(uint rgid, uint egid, uint sgid);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int setgroups(nuint size, uint* list);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int prlimit(int pid, int resource, RLimit* newLimit, RLimit* oldLimit);

    [LibraryImport(Name, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int execve(string path, byte** argv, byte** envp);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int sigprocmask(int how, SigSet* set, SigSet* old);

    // posix_spawn: glibc's vfork-based spawn is safe from a multi-threaded process.
    [LibraryImport(Name, SetLastError = true)]
    internal static partial int posix_spawn(int* pid, byte* path, void* fileActions, void* attr, byte** argv, byte** envp);

    [LibraryImport(Name)]
    internal static partial int posix_spawn_file_actions_init(void* actions);

    [LibraryImport(Name)]
    internal static partial int posix_spawn_file_actions_destroy(void* actions);

    [LibraryImport(Name)]
    internal static partial int posix_spawn_file_actions_adddup2(void* actions, int fd, int newfd);

    [LibraryImport(Name)]
    internal static partial int posix_spawn_file_actions_addclose(void* actions, int fd);

    [LibraryImport(Name)]
    internal static partial int posix_spawn_file_actions_addchdir_np(void* actions, byte* path);

    /// <summary>glibc 2.34+: closes every descriptor from <paramref name="from"/> up in the child.</summary>
    [LibraryImport(Name)]
    internal static partial int posix_spawn_file_actions_addclosefrom_np(void* actions, int from);

    [LibraryImport(Name)]
    internal static partial int posix_spawnattr_init(void* attr);

    [LibraryImport(Name)]
    internal static partial int posix_spawnattr_destroy(void* attr);

    [LibraryImport(Name)]
    internal static partial int posix_spawnattr_setflags(void* attr, short flags);

    [LibraryImport(Name)]
    internal static partial int posix_spawnattr_setsigmask(void* attr, SigSet* mask);

    [LibraryImport(Name)]
    internal static partial int posix_spawnattr_setsigdefault(void* attr, SigSet* mask);

    [LibraryImport(Name)]
    internal static partial int posix_spawnattr_setpgroup(void* attr, int pgroup);

    internal const short POSIX_SPAWN_SETPGROUP = 0x02;
    internal const short POSIX_SPAWN_SETSIGDEF = 0x04;
    internal const short POSIX_SPAWN_SETSIGMASK = 0x08;
    internal const short POSIX_SPAWN_SETSID = 0x80;

    internal const int SIG_SETMASK = 2;
    internal const int WNOHANG = 1;
    internal const int WALL = 0x40000000;

    internal const int PR_SET_PDEATHSIG = 1;
    internal const int PR_SET_DUMPABLE = 4;
    internal const int PR_SET_KEEPCAPS = 8;
    internal const int PR_CAPBSET_READ = 23;
    internal const int PR_CAPBSET_DROP = 24;
    internal const int PR_SET_CHILD_SUBREAPER = 36;
    internal const int PR_SET_NO_NEW_PRIVS = 38;
    internal const int PR_CAP_AMBIENT = 47;
    internal const int PR_CAP_AMBIENT_RAISE = 2;
    internal const int PR_CAP_AMBIENT_CLEAR_ALL = 4;
}

[StructLayout(LayoutKind.Sequential)]
internal struct RLimit
{
    public ulong Current;
    public ulong Maximum;
}

/// <summary>glibc's sigset_t: 1024 bits.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct SigSet
{
    public fixed ulong Bits[16];

    public void Add(int signal) => Bits[(signal - 1) / 64] |= 1UL << ((signal - 1) % 64);

    /// <summary>Every signal a new process may have reset to its default action (posix_spawnattr_setsigdefault): all but
    /// SIGKILL and SIGSTOP, which cannot be caught, and 32-34, which glibc's threading reserves (as both spawners always left them).</summary>
    public static SigSet Resettable()
    {
        SigSet all = default;
        for (int s = 1; s <= Signals.SIGRTMAX; s++)
            if (s != Signals.SIGKILL && s != Signals.SIGSTOP && (s < 32 || s > 34))
                all.Add(s);
        return all;
    }
}

[StructLayout(LayoutKind.Sequential)]
internal struct RUsage
{
    public long UserSeconds, UserMicroseconds, SystemSeconds, SystemMicroseconds;
    public long MaxRss, IxRss, IdRss, IsRss, MinFlt, MajFlt, NSwap, InBlock, OuBlock, MsgSnd, MsgRcv, NSignals, NVcsw, NIvcsw;
}

internal static unsafe partial class Libc
{
    [LibraryImport(Name, SetLastError = true)]
    internal static partial int tcgetattr(int fd, byte* termios);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int tcsetattr(int fd, int action, byte* termios);

    [LibraryImport(Name)]
    internal static partial void cfmakeraw(byte* termios);
}
