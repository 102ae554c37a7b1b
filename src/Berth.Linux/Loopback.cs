using System.Text;
using Berth.Linux.Interop;

namespace Berth.Linux;

/// <summary>Brings up "lo" in the calling process's network namespace (a new one has it down).</summary>
public static unsafe class Loopback
{
    const ulong SIOCGIFFLAGS = 0x8913;
    const ulong SIOCSIFFLAGS = 0x8914;
    const short IFF_UP = 1;

    public static void Up()
    {
        int fd = Libc.socket(Libc.AF_INET, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0);
        if (fd < 0)
            throw LinuxException.FromLastError("socket");
        try
        {
            var ifreq = stackalloc byte[40];
            new Span<byte>(ifreq, 40).Clear();
            Encoding.ASCII.GetBytes("lo", new Span<byte>(ifreq, 16));
            if (Libc.ioctl(fd, SIOCGIFFLAGS, ifreq) < 0)
                throw LinuxException.FromLastError("get flags of lo");
            *(short*)(ifreq + 16) |= IFF_UP;
            if (Libc.ioctl(fd, SIOCSIFFLAGS, ifreq) < 0)
                throw LinuxException.FromLastError("bring up lo");
        }
        finally
        {
            Libc.close(fd);
        }
    }
}
