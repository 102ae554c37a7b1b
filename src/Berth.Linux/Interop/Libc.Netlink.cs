using System.Runtime.InteropServices;

namespace Berth.Linux.Interop;

/// <summary>The socket calls a netlink socket needs beyond those in Libc.Socket.cs.</summary>
internal static unsafe partial class Libc
{
    [LibraryImport(Name, SetLastError = true)]
    internal static partial int bind(int fd, byte* addr, uint len);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial nint send(int fd, byte* buf, nuint len, int flags);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial nint recv(int fd, byte* buf, nuint len, int flags);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int setsockopt(int fd, int level, int name, void* value, uint len);

    internal const int AF_NETLINK = 16;
    internal const int SOCK_RAW = 3;
    internal const int NETLINK_ROUTE = 0;
    internal const int SOL_NETLINK = 270;
    internal const int NETLINK_CAP_ACK = 10;
    internal const int NETLINK_EXT_ACK = 11;
    internal const int MSG_TRUNC = 0x20;
    internal const int MSG_NOSIGNAL = 0x4000;

    /// <summary>ioctl on a namespace file: which kind of namespace it is (a CLONE_NEW* value).</summary>
    internal const ulong NS_GET_NSTYPE = 0xb703;
}
