using System.Runtime.InteropServices;
using System.Text;
using Berth.Linux.Interop;

namespace Berth.Linux;

/// <summary>How a child ended: its exit status, or the signal that killed it.</summary>
public readonly record struct ExitStatus(int Code, int Signal, bool CoreDumped)
{
    public bool Signaled => Signal != 0;

    /// <summary>The shell's convention, which Docker and runc report: 128+signal for a signal.</summary>
    public int ShellCode => Signaled ? 128 + Signal : Code;

    public static ExitStatus FromWaitStatus(int status)
    {
        int termSig = status & 0x7f;
        if (termSig == 0)
            return new ExitStatus((status >> 8) & 0xff, 0, false);
        return new ExitStatus(0, termSig, (status & 0x80) != 0);
    }
}

/// <summary>What to start with <see cref="Processes.Spawn"/>.</summary>
public sealed class SpawnOptions
{
    public required string Path { get; init; }

    public required IReadOnlyList<string> Args { get; init; }

    /// <summary>KEY=value pairs; null passes this process's environment.</summary>
    public IReadOnlyList<string>? Environment { get; init; }

    /// <summary>Child fd number -> an open fd of this process. Every other descriptor is closed in the child.</summary>
    public IReadOnlyDictionary<int, int> Files { get; init; } = new Dictionary<int, int>();

    public string? WorkingDirectory { get; init; }

    public bool NewSession { get; init; }

    /// <summary>Execute this open file (e.g. a sealed memfd) instead of <see cref="Path"/>: it is placed
    /// above the mapped descriptors and run as /proc/self/fd/N, the child inheriting it.</summary>
    public int? ExecutableFd { get; init; }
}

/// <summary>Starting, waiting for and signalling processes, without System.Diagnostics.Process.</summary>
public static unsafe class Processes
{
    /// <summary>
    /// posix_spawn with exact fd placement and default signal dispositions and mask (the .NET
    /// runtime ignores SIGPIPE, and ignored signals survive execve).
    /// </summary>
    public static int Spawn(SpawnOptions options)
    {
        // Place every source on a fresh high descriptor first so that no dup2 source can be
        // clobbered by another's target, and no dup2 is a no-op that keeps O_CLOEXEC.
        var temps = new List<(int Temp, int Target)>(options.Files.Count);
        byte* actions = stackalloc byte[512];
        byte* attr = stackalloc byte[1024];
        using var argv = new NativeStringArray(options.Args);
        using var envp = new NativeStringArray(options.Environment ?? CurrentEnvironment());
        var files = new Dictionary<int, int>(options.Files);
        int firstUnmapped = files.Count == 0 ? 3 : Math.Max(3, files.Keys.Max() + 1);
        string executable = options.Path;
        if (options.ExecutableFd is int exeFd)
        {
            files[firstUnmapped] = exeFd;
            executable = $"/proc/self/fd/{firstUnmapped}";
            firstUnmapped++;
        }
        byte[] path = Utf8Z(executable);
        byte[]? cwd = options.WorkingDirectory is null ? null : Utf8Z(options.WorkingDirectory);
        Libc.posix_spawn_file_actions_init(actions);
        Libc.posix_spawnattr_init(attr);
        try
        {
            foreach (var (target, source) in files)
            {
                int temp = Libc.fcntl(source, 1030 /* F_DUPFD_CLOEXEC */, 100);
                if (temp < 0)
                    throw LinuxException.FromLastError($"dup fd {source}");
                temps.Add((temp, target));
                Libc.posix_spawn_file_actions_adddup2(actions, temp, target);
            }
            // Nothing but the mapped descriptors: one inherited without O_CLOEXEC (from whoever ran
            // us) must not reach a container.
            Libc.posix_spawn_file_actions_addclosefrom_np(actions, firstUnmapped);
            if (cwd is not null)
                fixed (byte* c = cwd)
                    Libc.posix_spawn_file_actions_addchdir_np(actions, c);

            SigSet all = SigSet.Resettable(), none = default;
            Libc.posix_spawnattr_setsigdefault(attr, &all);
            Libc.posix_spawnattr_setsigmask(attr, &none);
            short flags = Libc.POSIX_SPAWN_SETSIGDEF | Libc.POSIX_SPAWN_SETSIGMASK;
            if (options.NewSession)
                flags |= Libc.POSIX_SPAWN_SETSID;
            Libc.posix_spawnattr_setflags(attr, flags);

            int pid;
            int rc;
            fixed (byte* p = path)
                rc = Libc.posix_spawn(&pid, p, actions, attr, argv.Pointer, envp.Pointer);
            if (rc != 0)
                throw new LinuxException(rc, $"start {options.Path}");
            return pid;
        }
        finally
        {
            Libc.posix_spawn_file_actions_destroy(actions);
            Libc.posix_spawnattr_destroy(attr);
            foreach (var (temp, _) in temps)
                Libc.close(temp);
        }
    }

    /// <summary>execve(2): replaces this process; returns only by throwing.</summary>
    public static void Exec(string path, IReadOnlyList<string> args, IReadOnlyList<string> env)
    {
        using var argv = new NativeStringArray(args);
        using var envp = new NativeStringArray(env);
        Libc.execve(path, argv.Pointer, envp.Pointer);
        throw LinuxException.FromLastError($"exec {path}");
    }

    /// <summary>Blocks until the child ends; null if it is not our child (ECHILD).</summary>
    public static ExitStatus? Wait(int pid)
    {
        int status;
        while (true)
        {
            int r = Libc.waitpid(pid, &status, Libc.WALL);
            if (r == pid)
                return ExitStatus.FromWaitStatus(status);
            int errno = Marshal.GetLastPInvokeError();
            if (errno == Errno.EINTR)
                continue;
            if (errno == Errno.ECHILD)
                return null;
            throw new LinuxException(errno, $"wait for process {pid}");
        }
    }

    /// <summary>Waits for the child, also reporting its peak resident set size in KiB.</summary>
    public static (ExitStatus Status, long MaxRssKiB) WaitWithUsage(int pid)
    {
        int status;
        RUsage usage;
        while (Libc.wait4(pid, &status, Libc.WALL, &usage) < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno != Errno.EINTR)
                throw new LinuxException(errno, $"wait for process {pid}");
        }
        return (ExitStatus.FromWaitStatus(status), usage.MaxRss);
    }

    /// <summary>Reaps the child if it has ended; null if it is still running or not our child.</summary>
    public static ExitStatus? TryReap(int pid)
    {
        int status;
        int r = Libc.waitpid(pid, &status, Libc.WNOHANG | Libc.WALL);
        return r == pid ? ExitStatus.FromWaitStatus(status) : null;
    }

    /// <summary>Reaps any ended child; (0, default) when none is ready.</summary>
    public static (int Pid, ExitStatus Status) ReapAny(bool block)
    {
        int status;
        while (true)
        {
            int r = Libc.waitpid(-1, &status, (block ? 0 : Libc.WNOHANG) | Libc.WALL);
            if (r > 0)
                return (r, ExitStatus.FromWaitStatus(status));
            if (r == 0)
                return (0, default);
            int errno = Marshal.GetLastPInvokeError();
            if (errno == Errno.EINTR)
                continue;
            return (-1, default);
        }
    }

    public static void Kill(int pid, int signal)
    {
        if (Libc.kill(pid, signal) < 0)
            throw LinuxException.FromLastError($"kill {pid} with signal {signal}");
    }

    /// <summary>kill(2) returning the errno (0 on success).</summary>
    public static int TryKill(int pid, int signal)
        => Libc.kill(pid, signal) < 0 ? Marshal.GetLastPInvokeError() : 0;

    public static bool Exists(int pid) => pid > 0 && (Libc.kill(pid, 0) == 0 || Marshal.GetLastPInvokeError() == Errno.EPERM);

    public static int CurrentId => Libc.getpid();

    public static uint EffectiveUserId => Libc.geteuid();

    public static uint EffectiveGroupId => Libc.getegid();

    /// <summary>Start time of a process in clock ticks since boot (field 22 of /proc/PID/stat), null if gone.
    /// With the pid it names a process for good: pids are reused, (pid, start time) pairs are not.</summary>
    public static ulong? StartTime(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        return ParseStat(stat).StartTime;
    }

    /// <summary>State letter (R, S, Z, ...) and start time from a /proc/PID/stat line.</summary>
    public static (char State, ulong StartTime) ParseStat(string stat)
    {
        // The command name in parentheses may contain spaces and parentheses: split after the last ')'.
        int close = stat.LastIndexOf(')');
        var fields = stat.AsSpan(close + 2);
        char state = fields[0];
        int index = 3; // fields[0] is field 3 (state)
        foreach (var range in fields.Split(' '))
        {
            if (index == 22)
                return (state, ulong.Parse(fields[range]));
            index++;
        }
        throw new FormatException("short /proc/PID/stat");
    }

    /// <summary>Whether the process is gone or a zombie.</summary>
    public static bool IsDeadOrZombie(int pid)
    {
        try
        {
            return ParseStat(File.ReadAllText($"/proc/{pid}/stat")).State is 'Z' or 'X';
        }
        catch (IOException)
        {
            return true;
        }
    }

    public static void SetChildSubreaper() => Prctl(Libc.PR_SET_CHILD_SUBREAPER, 1, "set child subreaper");

    public static void SetDumpable(bool dumpable) => Prctl(Libc.PR_SET_DUMPABLE, dumpable ? 1u : 0u, "set dumpable");

    public static void SetNoNewPrivileges() => Prctl(Libc.PR_SET_NO_NEW_PRIVS, 1, "set no_new_privs");

    public static void SetParentDeathSignal(int signal) => Prctl(Libc.PR_SET_PDEATHSIG, (uint)signal, "set parent death signal");

    public static void NewSession()
    {
        if (Libc.setsid() < 0)
            throw LinuxException.FromLastError("setsid");
    }

    static void Prctl(int option, nuint arg, string what)
    {
        if (Libc.prctl(option, arg, 0, 0, 0) < 0)
            throw LinuxException.FromLastError(what);
    }

    static List<string> CurrentEnvironment()
    {
        var list = new List<string>();
        foreach (System.Collections.DictionaryEntry e in System.Environment.GetEnvironmentVariables())
            list.Add($"{e.Key}={e.Value}");
        return list;
    }

    static byte[] Utf8Z(string s)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(s) + 1];
        Encoding.UTF8.GetBytes(s, bytes);
        return bytes;
    }
}
