using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using Berth.Linux.Interop;

namespace Berth.Linux;

/// <summary>
/// Extended attributes (xattr(7)) of an open file, of an entry below an open directory without
/// following a symlink there (through /proc/self/fd/N/name with the l* calls, since setxattrat(2)
/// needs Linux 6.13), and of a path. The descriptor forms return 0 or the errno; ENODATA means
/// "no such attribute". Names are strings ("user.x", "security.capability"), values raw bytes.
/// </summary>
public static unsafe class Xattrs
{
    static int Error() => Marshal.GetLastPInvokeError();

    /// <summary>Appends the names of the attributes of an open file (flistxattr).</summary>
    public static int List(int fd, List<string> names)
        => ListWith(names, (buffer, size) => LibcAt.flistxattr(fd, buffer, size));

    /// <summary>Appends the names of the attributes of the entry <paramref name="name"/> below <paramref name="dirFd"/>, not following it.</summary>
    public static int ListAt(int dirFd, ReadOnlySpan<byte> name, List<string> names)
    {
        byte[] path = ProcPath(dirFd, name);
        fixed (byte* p = path)
        {
            byte* pp = p;
            return ListWith(names, (buffer, size) => LibcAt.llistxattr(pp, buffer, size));
        }
    }

    /// <summary>The value of attribute <paramref name="name"/> of an open file; ENODATA when it has none.</summary>
    public static int Get(int fd, string name, out byte[]? value)
    {
        using var cname = new CString(Encoding.UTF8.GetBytes(name), stackalloc byte[CString.StackSize]);
        fixed (byte* n = cname.Span)
        {
            byte* pn = n;
            return GetWith(out value, (buffer, size) => LibcAt.fgetxattr(fd, pn, buffer, size));
        }
    }

    public static int GetAt(int dirFd, ReadOnlySpan<byte> entry, string name, out byte[]? value)
    {
        byte[] path = ProcPath(dirFd, entry);
        using var cname = new CString(Encoding.UTF8.GetBytes(name), stackalloc byte[CString.StackSize]);
        fixed (byte* p = path)
        fixed (byte* n = cname.Span)
        {
            byte* pp = p, pn = n;
            return GetWith(out value, (buffer, size) => LibcAt.lgetxattr(pp, pn, buffer, size));
        }
    }

    public static int Set(int fd, string name, ReadOnlySpan<byte> value)
    {
        using var cname = new CString(Encoding.UTF8.GetBytes(name), stackalloc byte[CString.StackSize]);
        fixed (byte* n = cname.Span)
        fixed (byte* v = value)
            return LibcAt.fsetxattr(fd, n, v, value.Length, 0) < 0 ? Error() : 0;
    }

    /// <summary>Sets an attribute of the entry <paramref name="entry"/> below <paramref name="dirFd"/> (a symlink itself, a device node, a fifo).</summary>
    public static int SetAt(int dirFd, ReadOnlySpan<byte> entry, string name, ReadOnlySpan<byte> value)
    {
        byte[] path = ProcPath(dirFd, entry);
        using var cname = new CString(Encoding.UTF8.GetBytes(name), stackalloc byte[CString.StackSize]);
        fixed (byte* p = path)
        fixed (byte* n = cname.Span)
        fixed (byte* v = value)
            return LibcAt.lsetxattr(p, n, v, value.Length, 0) < 0 ? Error() : 0;
    }

    /// <summary>The attribute names of a path, not following a symlink at its end (llistxattr).</summary>
    public static List<string> List(string path)
    {
        var names = new List<string>();
        byte[] cpath = NulTerminated(path);
        fixed (byte* p = cpath)
        {
            byte* pp = p;
            int errno = ListWith(names, (buffer, size) => LibcAt.llistxattr(pp, buffer, size));
            if (errno != 0)
                throw new LinuxException(errno, $"listxattr {path}");
        }
        return names;
    }

    /// <summary>The value of an attribute of a path (not following a final symlink), or null when it has none.</summary>
    public static byte[]? Get(string path, string name)
    {
        byte[] cpath = NulTerminated(path), cname = NulTerminated(name);
        fixed (byte* p = cpath)
        fixed (byte* n = cname)
        {
            byte* pp = p, pn = n;
            int errno = GetWith(out var value, (buffer, size) => LibcAt.lgetxattr(pp, pn, buffer, size));
            if (errno == Errno.ENODATA)
                return null;
            if (errno != 0)
                throw new LinuxException(errno, $"getxattr {name} of {path}");
            return value;
        }
    }

    /// <summary>Sets an attribute of a path, not following a final symlink (lsetxattr).</summary>
    public static void Set(string path, string name, ReadOnlySpan<byte> value)
    {
        byte[] cpath = NulTerminated(path), cname = NulTerminated(name);
        fixed (byte* p = cpath)
        fixed (byte* n = cname)
        fixed (byte* v = value)
        {
            if (LibcAt.lsetxattr(p, n, v, value.Length, 0) < 0)
                throw LinuxException.FromLastError($"setxattr {name} of {path}");
        }
    }

    public static void Remove(string path, string name)
    {
        byte[] cpath = NulTerminated(path), cname = NulTerminated(name);
        fixed (byte* p = cpath)
        fixed (byte* n = cname)
        {
            if (LibcAt.lremovexattr(p, n) < 0 && Error() != Errno.ENODATA)
                throw LinuxException.FromLastError($"removexattr {name} of {path}");
        }
    }

    static byte[] NulTerminated(string s)
    {
        byte[] bytes = new byte[Encoding.UTF8.GetByteCount(s) + 1];
        Encoding.UTF8.GetBytes(s, bytes);
        return bytes;
    }

    /// <summary>"/proc/self/fd/N/name" + NUL: reaches an entry of an open directory by path without following the entry.</summary>
    static byte[] ProcPath(int dirFd, ReadOnlySpan<byte> name)
    {
        Span<byte> digits = stackalloc byte[16];
        dirFd.TryFormat(digits, out int count, provider: System.Globalization.CultureInfo.InvariantCulture);
        ReadOnlySpan<byte> prefix = "/proc/self/fd/"u8;
        byte[] path = new byte[prefix.Length + count + 1 + name.Length + 1];
        prefix.CopyTo(path);
        digits[..count].CopyTo(path.AsSpan(prefix.Length));
        path[prefix.Length + count] = (byte)'/';
        name.CopyTo(path.AsSpan(prefix.Length + count + 1));
        return path;
    }

    delegate nint Call(byte* buffer, nint size);

    static int ListWith(List<string> names, Call list)
    {
        // Ask for the size first, then read; retry if the list grew in between (ERANGE).
        while (true)
        {
            nint size = list(null, 0);
            if (size < 0)
                return Error();
            if (size == 0)
                return 0;
            byte[] buffer = ArrayPool<byte>.Shared.Rent((int)size);
            try
            {
                nint n;
                fixed (byte* b = buffer)
                    n = list(b, buffer.Length);
                if (n < 0)
                {
                    int errno = Error();
                    if (errno == Errno.ERANGE)
                        continue;
                    return errno;
                }
                foreach (var range in buffer.AsSpan(0, (int)n).Split((byte)0))
                {
                    var part = buffer.AsSpan(0, (int)n)[range];
                    if (!part.IsEmpty)
                        names.Add(Encoding.UTF8.GetString(part));
                }
                return 0;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    static int GetWith(out byte[]? value, Call get)
    {
        value = null;
        while (true)
        {
            nint size = get(null, 0);
            if (size < 0)
                return Error();
            byte[] buffer = new byte[size];
            if (size == 0)
            {
                value = buffer;
                return 0;
            }
            nint n;
            fixed (byte* b = buffer)
                n = get(b, buffer.Length);
            if (n < 0)
            {
                int errno = Error();
                if (errno == Errno.ERANGE)
                    continue;
                return errno;
            }
            value = n == size ? buffer : buffer[..(int)n];
            return 0;
        }
    }
}
