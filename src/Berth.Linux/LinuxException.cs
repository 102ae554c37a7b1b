using System.Runtime.InteropServices;

namespace Berth.Linux;

/// <summary>
/// A failed system call: the operation, the path or object it concerned, and the errno, printed
/// the way runc and crun print them (<c>mount proc to /proc: operation not permitted</c>).
/// </summary>
public sealed class LinuxException : Exception
{
    public LinuxException(int errno, string operation)
        : base(Format(errno, operation))
    {
        Errno = errno;
        Operation = operation;
    }

    public int Errno { get; }

    public string Operation { get; }

    public static string Describe(int errno)
    {
        string text = Marshal.GetPInvokeErrorMessage(errno);
        return text.Length > 0 ? char.ToLowerInvariant(text[0]) + text[1..] : $"errno {errno}";
    }

    static string Format(int errno, string operation) => $"{operation}: {Describe(errno)}";

    /// <summary>Throws for the errno of the last P/Invoke.</summary>
    public static LinuxException FromLastError(string operation) => new(Marshal.GetLastPInvokeError(), operation);

    public static void ThrowIfError(int result, string operation)
    {
        if (result < 0)
            throw FromLastError(operation);
    }

    public static void ThrowIfError(long result, string operation)
    {
        if (result < 0)
            throw FromLastError(operation);
    }
}

/// <summary>errno values Berth looks at by name.</summary>
public static class Errno
{
    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int ESRCH = 3;
    public const int EINTR = 4;
    public const int EIO = 5;
    public const int EBADF = 9;
    public const int ECHILD = 10;
    public const int EAGAIN = 11;
    public const int ENOMEM = 12;
    public const int EACCES = 13;
    public const int EBUSY = 16;
    public const int EEXIST = 17;
    public const int EXDEV = 18;
    public const int ENODEV = 19;
    public const int ENOTDIR = 20;
    public const int EISDIR = 21;
    public const int EINVAL = 22;
    public const int ENOSPC = 28;
    public const int EROFS = 30;
    public const int EPIPE = 32;
    public const int ERANGE = 34;
    public const int ENOSYS = 38;
    public const int ENOTEMPTY = 39;
    public const int ELOOP = 40;
    public const int ENODATA = 61;
    public const int EOPNOTSUPP = 95;
    public const int EADDRINUSE = 98;
    public const int ECONNRESET = 104;
}
