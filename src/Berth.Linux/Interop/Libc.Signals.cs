using System.Runtime.InteropServices;

namespace Berth.Linux.Interop;

/// <summary>Per-thread signal masks, synchronous signal waits, and the spawn calls an init process needs.</summary>
internal static unsafe partial class Libc
{
    [LibraryImport(Name)]
    internal static partial int pthread_sigmask(int how, SigSet* set, SigSet* old);

    /// <summary>siginfo may be null: only the signal number (the return value) is wanted.</summary>
    [LibraryImport(Name, SetLastError = true)]
    internal static partial int sigwaitinfo(SigSet* set, void* info);

    /// <summary>posix_spawn with execvp's PATH search.</summary>
    [LibraryImport(Name, SetLastError = true)]
    internal static partial int posix_spawnp(int* pid, byte* file, void* fileActions, void* attr, byte** argv, byte** envp);

    /// <summary>glibc 2.35+: in the child, makes its process group the foreground one of the terminal on <paramref name="fd"/>.</summary>
    [LibraryImport(Name)]
    internal static partial int posix_spawn_file_actions_addtcsetpgrp_np(void* actions, int fd);

    internal const int SIG_BLOCK = 0;
}
