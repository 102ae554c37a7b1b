using Berth.Linux;
using Berth.Linux.Cgroups;

namespace Berth.Runtime.Cgroups;

/// <summary>Turns errnos of cgroup files into runtime errors that name the spec field, the value and the file.</summary>
internal static class CgroupErrors
{
    public static ErrorKind KindOf(int errno) => errno switch
    {
        Errno.EINVAL or Errno.ERANGE => ErrorKind.InvalidArgument,
        Errno.EBUSY => ErrorKind.Conflict,
        Errno.ENOENT or Errno.ENODEV or Errno.EOPNOTSUPP => ErrorKind.Unsupported,
        _ => ErrorKind.Internal,
    };

    /// <summary><c>linux.resources.cpu.cpus: write "999" to /sys/fs/cgroup/cpuset/berth/x/cpuset.cpus: invalid argument</c></summary>
    public static RuntimeError Write(string field, string dir, string file, string value, int errno, string? detail = null)
    {
        string path = Path.Join(dir, file);
        string reason = errno == Errno.ENOENT ? "no such file (this kernel does not have it)" : LinuxException.Describe(errno);
        return new RuntimeError(KindOf(errno), $"{field}: write \"{value}\" to {path}: {reason}{(detail is null ? "" : $" ({detail})")}",
            new LinuxException(errno, $"write {path}"));
    }

    public static RuntimeError Unsupported(string field, string reason) => new(ErrorKind.Unsupported, $"{field}: {reason}");

    public static RuntimeError Invalid(string field, string reason) => new(ErrorKind.InvalidArgument, $"{field}: {reason}");

    /// <summary>A failed operation on the cgroup itself (mkdir, rmdir, cgroup.procs, freeze).</summary>
    public static RuntimeError From(LinuxException e, string? context = null)
        => new(KindOf(e.Errno), context is null ? e.Message : $"{context}: {e.Message}", e);

    /// <summary>Writes a value for a spec field; a refusal throws naming both.</summary>
    public static void Set(string field, string dir, string file, string value)
    {
        int errno = CgroupFiles.TryWrite(dir, file, value);
        if (errno != 0)
            throw Write(field, dir, file, value, errno);
    }
}
