using Microsoft.Win32.SafeHandles;
using static Berth.Linux.Tests.Seccomp.TestLibc;

namespace Berth.Linux.Tests.Seccomp;

/// <summary>The agent's side of a seccomp notify fd (SECCOMP_IOCTL_NOTIF_RECV/SEND), just enough for tests.</summary>
internal static class SeccompNotifyAgent
{
    const ulong NotifReceive = 0xc0502100; // _IOWR('!', 0, struct seccomp_notif), 80 bytes
    const ulong NotifSend = 0xc0182101;    // _IOWR('!', 1, struct seccomp_notif_resp), 24 bytes

    public readonly record struct Request(ulong Id, uint Pid, int Syscall);

    public static Request Receive(SafeFileHandle fd, TimeSpan timeout)
    {
        var pollFd = new PollFd { Fd = (int)fd.DangerousGetHandle(), Events = 1 /* POLLIN */ };
        if (poll(ref pollFd, 1, (int)timeout.TotalMilliseconds) != 1)
            throw new TimeoutException("no seccomp notification arrived");
        var notif = new byte[80]; // u64 id; u32 pid; u32 flags; struct seccomp_data { int nr; u32 arch; u64 ip; u64 args[6]; }
        var (rc, errno) = Call(() => ioctl(pollFd.Fd, NotifReceive, notif));
        if (rc < 0)
            throw new LinuxException(errno, "SECCOMP_IOCTL_NOTIF_RECV");
        return new Request(BitConverter.ToUInt64(notif, 0), BitConverter.ToUInt32(notif, 8), BitConverter.ToInt32(notif, 16));
    }

    /// <summary>Makes the notified syscall fail with <paramref name="errno"/>.</summary>
    public static void Fail(SafeFileHandle fd, ulong id, int errno)
    {
        var response = new byte[24]; // u64 id; s64 val; s32 error; u32 flags
        BitConverter.TryWriteBytes(response.AsSpan(0), id);
        BitConverter.TryWriteBytes(response.AsSpan(16), -errno);
        var (rc, e) = Call(() => ioctl((int)fd.DangerousGetHandle(), NotifSend, response));
        if (rc < 0)
            throw new LinuxException(e, "SECCOMP_IOCTL_NOTIF_SEND");
    }
}
