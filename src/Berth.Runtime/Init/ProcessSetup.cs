using Berth.Linux;
using Berth.Oci.Runtime;
using OciProcess = Berth.Oci.Runtime.Process;

namespace Berth.Runtime.Init;

/// <summary>The last steps before execve, in runc's order: rlimits, bounding set, user, capabilities,
/// working directory, no_new_privs; and the executable's path and environment.</summary>
internal static class ProcessSetup
{
    public const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    public static void SetRlimits(OciProcess process)
    {
        foreach (var r in process.Rlimits ?? [])
        {
            if (!Rlimits.TryParse(r.Type, out int resource))
                throw RuntimeError.Invalid($"process.rlimits: unknown rlimit type \"{r.Type}\"");
            try
            {
                Rlimits.Set(resource, r.Soft, r.Hard);
            }
            catch (LinuxException e) when (e.Errno == Errno.EPERM)
            {
                var (_, hard) = Rlimits.Get(resource);
                throw new RuntimeError(ErrorKind.Unsupported,
                    $"process.rlimits: cannot set {r.Type} to soft {r.Soft} hard {r.Hard}: the hard limit may not be raised above {hard} without CAP_SYS_RESOURCE", e);
            }
        }
    }

    /// <summary>Bounding set, then user and groups keeping the permitted set, then the capability sets.</summary>
    public static void SetUserAndCapabilities(OciProcess process, bool setgroupsAllowed)
    {
        var caps = process.Capabilities;
        ulong bounding = Mask(caps?.Bounding, "bounding");
        ulong effective = Mask(caps?.Effective, "effective");
        ulong permitted = Mask(caps?.Permitted, "permitted");
        ulong inheritable = Mask(caps?.Inheritable, "inheritable");
        ulong ambient = Mask(caps?.Ambient, "ambient");

        Capabilities.LimitBounding(bounding);
        Capabilities.SetKeepCapabilities(true);
        var user = process.User;
        if (setgroupsAllowed)
            Credentials.SetGroups(user.AdditionalGids ?? []);
        Credentials.SetGid(user.Gid);
        Credentials.SetUid(user.Uid);
        Capabilities.SetKeepCapabilities(false);
        Capabilities.Set(effective, permitted, inheritable);
        if (ambient != 0)
            Capabilities.RaiseAmbient(ambient);
    }

    static ulong Mask(List<string>? names, string set)
    {
        ulong mask = 0;
        foreach (var name in names ?? [])
        {
            if (!Capabilities.TryParse(name, out int cap))
                throw RuntimeError.Invalid($"process.capabilities.{set}: unknown capability \"{name}\"");
            if (cap <= Capabilities.LastCap)
                mask |= 1UL << cap;
        }
        return mask;
    }

    /// <summary>The environment as runc builds it: the spec's, with HOME from /etc/passwd when missing.</summary>
    public static List<string> Environment(OciProcess process)
    {
        var env = new List<string>(process.Env ?? []);
        if (!env.Any(e => e.StartsWith("HOME=", StringComparison.Ordinal)))
            env.Add("HOME=" + (HomeOf(process.User.Uid) ?? "/"));
        return env;
    }

    static string? HomeOf(uint uid)
    {
        try
        {
            foreach (var line in File.ReadLines("/etc/passwd"))
            {
                var f = line.Split(':');
                if (f.Length >= 6 && uint.TryParse(f[2], out uint u) && u == uid)
                    return f[5];
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return null;
    }

    /// <summary>Resolves args[0] as execvp would, with the container's PATH, in the container's root;
    /// called as runc calls exec.LookPath: as the container's user, in its working directory.</summary>
    public static string ResolveExecutable(string name, IReadOnlyList<string> env)
    {
        if (name.Contains('/'))
        {
            // As Go's exec.LookPath in runc: a path that cannot be stat'ed is reported with the
            // reason, and a directory or a file without an execute bit is "permission denied"
            // before the container starts, not a failed execve after `start`.
            int error = Files.TryOpen(name, OpenFlags.Path, out var handle);
            handle?.Dispose();
            if (error != 0)
                throw new RuntimeError(ErrorKind.InvalidArgument, $"exec: \"{name}\": stat {name}: {LinuxException.Describe(-error)}");
            if (!IsExecutableFile(name))
                throw new RuntimeError(ErrorKind.InvalidArgument, $"exec: \"{name}\": permission denied");
            return name;
        }
        string path = DefaultPath;
        foreach (var e in env)
            if (e.StartsWith("PATH=", StringComparison.Ordinal))
                path = e[5..];
        foreach (var dir in path.Split(':'))
        {
            string candidate = Path.Combine(dir.Length == 0 ? "." : dir, name);
            if (IsExecutableFile(candidate))
                return candidate;
        }
        throw new RuntimeError(ErrorKind.InvalidArgument, $"exec: \"{name}\": executable file not found in $PATH");
    }

    /// <summary>Go's findExecutable: not a directory, and some execute bit set (access(2) is not asked).</summary>
    static bool IsExecutableFile(string path)
        => File.Exists(path) && (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;

    /// <summary>
    /// The working directory, checked to lie inside the container's root: a descriptor leaked from
    /// the host (CVE-2024-21626, cwd "/proc/self/fd/N") would otherwise put the process outside it.
    /// </summary>
    public static void ChangeDirectory(string cwd)
    {
        if (string.IsNullOrEmpty(cwd))
            cwd = "/";
        if (cwd[0] != '/')
            throw RuntimeError.Invalid($"process.cwd: \"{cwd}\" is not an absolute path");
        try
        {
            Files.ChangeDirectory(cwd);
        }
        catch (LinuxException e)
        {
            throw new RuntimeError(ErrorKind.InvalidArgument, $"process.cwd: chdir to cwd (\"{cwd}\") set in config.json failed: {LinuxException.Describe(e.Errno)}", e);
        }
        string actual = Files.CurrentDirectory();
        if (!actual.StartsWith('/'))
            throw new RuntimeError(ErrorKind.InvalidArgument, $"process.cwd: current working directory is outside of container mount namespace root -- possible container breakout detected");
    }
}
