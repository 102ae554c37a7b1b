using System.Runtime.InteropServices;
using System.Text;
using Berth.Linux.Interop;
using Microsoft.Win32.SafeHandles;

namespace Berth.Linux;

/// <summary>Unix stream sockets: pairs, connecting by path, and passing descriptors (SCM_RIGHTS).</summary>
public static unsafe class UnixSockets
{
    /// <summary>A connected pair, both ends close-on-exec.</summary>
    public static (SafeFileHandle A, SafeFileHandle B) Pair()
    {
        int* fds = stackalloc int[2];
        if (Libc.socketpair(Libc.AF_UNIX, Libc.SOCK_STREAM | Libc.SOCK_CLOEXEC, 0, fds) < 0)
            throw LinuxException.FromLastError("socketpair");
        return (new SafeFileHandle(fds[0], true), new SafeFileHandle(fds[1], true));
    }

    public static SafeFileHandle Connect(string path)
    {
        int fd = Libc.socket(Libc.AF_UNIX, Libc.SOCK_STREAM | Libc.SOCK_CLOEXEC, 0);
        if (fd < 0)
            throw LinuxException.FromLastError("socket");
        var handle = new SafeFileHandle(fd, true);
        byte[] name = Encoding.UTF8.GetBytes(path);
        if (name.Length >= 108)
            throw new LinuxException(Errno.ERANGE, $"connect {path}: socket path longer than 107 bytes");
        var addr = stackalloc byte[110];
        new Span<byte>(addr, 110).Clear();
        addr[0] = Libc.AF_UNIX;
        name.CopyTo(new Span<byte>(addr + 2, 108));
        if (Libc.connect(fd, addr, (uint)(2 + name.Length + 1)) < 0)
        {
            var e = LinuxException.FromLastError($"connect {path}");
            handle.Dispose();
            throw e;
        }
        return handle;
    }

    /// <summary>Sends <paramref name="payload"/> with descriptors attached.</summary>
    public static void SendFds(SafeFileHandle socket, ReadOnlySpan<byte> payload, ReadOnlySpan<int> fds)
    {
        int controlLength = CmsgSpace(fds.Length * sizeof(int));
        var control = stackalloc byte[controlLength];
        new Span<byte>(control, controlLength).Clear();
        var cmsg = (CMsgHdr*)control;
        cmsg->Length = (nuint)(sizeof(CMsgHdr) + fds.Length * sizeof(int));
        cmsg->Level = Libc.SOL_SOCKET;
        cmsg->Type = Libc.SCM_RIGHTS;
        fds.CopyTo(new Span<int>(control + sizeof(CMsgHdr), fds.Length));
        fixed (byte* data = payload)
        {
            byte dummy = 0;
            var iov = new IoVec { Base = payload.Length > 0 ? data : &dummy, Length = (nuint)Math.Max(payload.Length, 1) };
            var msg = new MsgHdr { Iov = &iov, IovLength = 1, Control = control, ControlLength = (nuint)controlLength };
            if (Libc.sendmsg((int)socket.DangerousGetHandle(), &msg, 0x4000 /* MSG_NOSIGNAL */) < 0)
                throw LinuxException.FromLastError("send file descriptor");
        }
    }

    /// <summary>Receives one message and the descriptors attached to it (close-on-exec).</summary>
    public static (byte[] Payload, SafeFileHandle[] Fds) ReceiveFds(SafeFileHandle socket, int maxPayload = 4096, int maxFds = 4)
    {
        var buffer = new byte[maxPayload];
        int controlLength = CmsgSpace(maxFds * sizeof(int));
        var control = stackalloc byte[controlLength];
        nint n;
        fixed (byte* data = buffer)
        {
            var iov = new IoVec { Base = data, Length = (nuint)buffer.Length };
            var msg = new MsgHdr { Iov = &iov, IovLength = 1, Control = control, ControlLength = (nuint)controlLength };
            do
                n = Libc.recvmsg((int)socket.DangerousGetHandle(), &msg, Libc.MSG_CMSG_CLOEXEC);
            while (n < 0 && Marshal.GetLastPInvokeError() == Errno.EINTR);
            if (n < 0)
                throw LinuxException.FromLastError("receive file descriptor");
            var fds = new List<SafeFileHandle>();
            if (msg.ControlLength >= (nuint)sizeof(CMsgHdr))
            {
                var cmsg = (CMsgHdr*)control;
                if (cmsg->Level == Libc.SOL_SOCKET && cmsg->Type == Libc.SCM_RIGHTS)
                {
                    int count = ((int)cmsg->Length - sizeof(CMsgHdr)) / sizeof(int);
                    var p = (int*)(control + sizeof(CMsgHdr));
                    for (int i = 0; i < count; i++)
                        fds.Add(new SafeFileHandle(p[i], true));
                }
            }
            return (buffer.AsSpan(0, (int)n).ToArray(), fds.ToArray());
        }
    }

    static int CmsgSpace(int dataLength) => sizeof(CMsgHdr) + ((dataLength + 7) & ~7);
}
