using System.Runtime.InteropServices;

namespace Berth.Linux.Interop;

/// <summary>Numbers of the system calls glibc has no wrapper for, per architecture.</summary>
internal static class Syscalls
{
    static readonly bool Arm64 = RuntimeInformation.ProcessArchitecture == Architecture.Arm64;

    internal static long PivotRoot => Arm64 ? 41 : 155;
    internal static long RtSigaction => Arm64 ? 134 : 13;
    internal static long CapGet => Arm64 ? 90 : 125;
    internal static long CapSet => Arm64 ? 91 : 126;
    internal static long Keyctl => Arm64 ? 219 : 250;
    internal static long Seccomp => Arm64 ? 277 : 317;
    internal static long PidfdSendSignal => 424;
    internal static long PidfdOpen => 434;
    internal static long Openat2 => 437;
    internal static long OpenTree => 428;
    internal static long MountSetattr => 442;
    internal static long MoveMount => 429;
    internal static long FsOpen => 430;
    internal static long FsConfig => 431;
    internal static long FsMount => 432;
}
