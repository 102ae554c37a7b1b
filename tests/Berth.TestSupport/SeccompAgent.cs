using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using Berth.Linux;
using Microsoft.Win32.SafeHandles;

namespace Berth.TestSupport;

/// <summary>
/// A seccomp agent for tests: listens on linux.seccomp.listenerPath, takes the notify fd and the
/// state the runtime sends, and answers each notified syscall with an errno (SECCOMP_IOCTL_NOTIF_*).
/// </summary>
public sealed class SeccompAgent : IDisposable
{
    const ulong NotifReceive = 0xc0502100; // _IOWR('!', 0, struct seccomp_notif), 80 bytes
    const ulong NotifSend = 0xc0182101;    // _IOWR('!', 1, struct seccomp_notif_resp), 24 bytes

    readonly Socket _listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    readonly Thread _thread;
    readonly int _errno;
    volatile bool _stopping;

    public SeccompAgent(int errno)
    {
        _errno = errno;
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), TestIds.New("seccomp-agent") + ".sock");
        _listener.Bind(new UnixDomainSocketEndPoint(Path));
        _listener.Listen(4);
        _thread = new Thread(Serve) { IsBackground = true };
        _thread.Start();
    }

    public string Path { get; }

    /// <summary>The JSON (ContainerProcessState) that came with the fd.</summary>
    public string? State { get; private set; }

    /// <summary>Syscall numbers the agent was asked about.</summary>
    public List<int> Syscalls { get; } = [];

    void Serve()
    {
        try
        {
            using var connection = _listener.Accept();
            var (payload, fds) = UnixSockets.ReceiveFds(new SafeFileHandle(connection.Handle, ownsHandle: false), 64 * 1024, 1);
            State = Encoding.UTF8.GetString(payload);
            using var notify = fds[0];
            while (!_stopping)
            {
                var p = new PollFd { Fd = (int)notify.DangerousGetHandle(), Events = 1 };
                if (poll(ref p, 1, 100) != 1)
                    continue;
                if ((p.Revents & 0x10) != 0) // POLLHUP: the filtered processes are gone
                    return;
                var notif = new byte[80];
                if (ioctl(p.Fd, NotifReceive, notif) < 0)
                    continue;
                lock (Syscalls)
                    Syscalls.Add(BitConverter.ToInt32(notif, 16));
                var response = new byte[24];
                BitConverter.TryWriteBytes(response.AsSpan(0), BitConverter.ToUInt64(notif, 0));
                BitConverter.TryWriteBytes(response.AsSpan(16), -_errno);
                ioctl(p.Fd, NotifSend, response);
            }
        }
        catch (Exception) when (_stopping)
        {
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _listener.Dispose();
        _thread.Join(TimeSpan.FromSeconds(2));
        File.Delete(Path);
    }

    [StructLayout(LayoutKind.Sequential)]
    struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [DllImport("libc", SetLastError = true)]
    static extern int ioctl(int fd, ulong request, byte[] argument);

    [DllImport("libc", SetLastError = true)]
    static extern int poll(ref PollFd fds, ulong count, int timeoutMs);
}
