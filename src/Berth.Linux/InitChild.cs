using Berth.Linux.Interop;

namespace Berth.Linux;

/// <summary>
/// Starts the command an init process runs for a container (tini's spawn and isolate_child): found on
/// PATH as execvp finds it, with every descriptor this process has, default signal dispositions and an
/// empty mask, in a process group of its own which, when stdin is a terminal, becomes the terminal's
/// foreground group, so that ^C and job control reach the command and not the init.
/// </summary>
public static unsafe class InitChild
{
    /// <summary>posix_spawnp (vfork-like, safe in a multi-threaded process); the exec's errno as a <see cref="LinuxException"/>.</summary>
    public static int Spawn(IReadOnlyList<string> args, IReadOnlyList<string> environment)
    {
        byte* actions = stackalloc byte[512];
        byte* attr = stackalloc byte[1024];
        using var argv = new NativeStringArray(args);
        using var envp = new NativeStringArray(environment);
        Libc.posix_spawn_file_actions_init(actions);
        Libc.posix_spawnattr_init(attr);
        try
        {
            if (Terminal.IsTerminal(0))
                Libc.posix_spawn_file_actions_addtcsetpgrp_np(actions, 0);
            SigSet all = SigSet.Resettable(), none = default;
            Libc.posix_spawnattr_setsigdefault(attr, &all);
            Libc.posix_spawnattr_setsigmask(attr, &none);
            Libc.posix_spawnattr_setpgroup(attr, 0);
            Libc.posix_spawnattr_setflags(attr, Libc.POSIX_SPAWN_SETSIGDEF | Libc.POSIX_SPAWN_SETSIGMASK | Libc.POSIX_SPAWN_SETPGROUP);
            int pid;
            int rc = Libc.posix_spawnp(&pid, argv.Pointer[0], actions, attr, argv.Pointer, envp.Pointer);
            if (rc != 0)
                throw new LinuxException(rc, $"exec {args[0]}");
            return pid;
        }
        finally
        {
            Libc.posix_spawn_file_actions_destroy(actions);
            Libc.posix_spawnattr_destroy(attr);
        }
    }
}
