using Berth.Linux.Interop;
using Microsoft.Win32.SafeHandles;

namespace Berth.Linux;

/// <summary>Pseudo-terminals: open a pair, make one the controlling terminal, set its size.</summary>
public static unsafe class Terminal
{
    const ulong TIOCSCTTY = 0x540E;
    const ulong TIOCSWINSZ = 0x5414;
    const ulong TIOCGWINSZ = 0x5413;
    const ulong TIOCGPTN = 0x80045430;
    const ulong TIOCSPTLCK = 0x40045431;

    /// <summary>Opens a new pty through the given ptmx (inside a container: its own /dev/pts/ptmx).</summary>
    public static (SafeFileHandle Master, string SlavePath) OpenPty(string ptmx = "/dev/ptmx")
    {
        int master = Libc.open(ptmx, Libc.O_RDWR | Libc.O_NOCTTY | Libc.O_CLOEXEC, 0);
        if (master < 0)
            throw LinuxException.FromLastError($"open {ptmx}");
        var handle = new SafeFileHandle(master, ownsHandle: true);
        int unlock = 0;
        if (Libc.ioctl(master, TIOCSPTLCK, &unlock) < 0)
            throw LinuxException.FromLastError("unlock pty");
        uint number;
        if (Libc.ioctl(master, TIOCGPTN, &number) < 0)
            throw LinuxException.FromLastError("get pty number");
        string dir = Path.GetDirectoryName(ptmx) is { } d && d.EndsWith("/pts", StringComparison.Ordinal) ? d : "/dev/pts";
        return (handle, $"{dir}/{number}");
    }

    public static void SetControlling(int fd)
    {
        if (Libc.ioctl(fd, TIOCSCTTY, 0) < 0)
            throw LinuxException.FromLastError("set controlling terminal");
    }

    public static void SetSize(int fd, ushort rows, ushort columns)
    {
        var size = stackalloc ushort[4];
        size[0] = rows;
        size[1] = columns;
        if (Libc.ioctl(fd, TIOCSWINSZ, size) < 0)
            throw LinuxException.FromLastError("set terminal size");
    }

    public static (ushort Rows, ushort Columns)? GetSize(int fd)
    {
        var size = stackalloc ushort[4];
        if (Libc.ioctl(fd, TIOCGWINSZ, size) < 0)
            return null;
        return (size[0], size[1]);
    }

    public static bool IsTerminal(int fd) => GetSize(fd) is not null;

    /// <summary>Puts a terminal in raw mode (cfmakeraw) and returns its previous settings for <see cref="Restore"/>.</summary>
    public static byte[] MakeRaw(int fd)
    {
        var saved = new byte[TermiosSize];
        fixed (byte* p = saved)
        {
            if (Libc.tcgetattr(fd, p) < 0)
                throw LinuxException.FromLastError("tcgetattr");
            var raw = stackalloc byte[TermiosSize];
            new Span<byte>(p, TermiosSize).CopyTo(new Span<byte>(raw, TermiosSize));
            Libc.cfmakeraw(raw);
            if (Libc.tcsetattr(fd, 0 /* TCSANOW */, raw) < 0)
                throw LinuxException.FromLastError("tcsetattr");
        }
        return saved;
    }

    public static void Restore(int fd, byte[] saved)
    {
        fixed (byte* p = saved)
            Libc.tcsetattr(fd, 0, p);
    }

    // glibc's struct termios is 60 bytes; room to spare.
    const int TermiosSize = 128;
}
