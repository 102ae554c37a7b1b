using Berth.Linux;
using Berth.Oci.Runtime;

namespace Berth.Runtime.Containers;

/// <summary>
/// Checks a config before anything is made: every problem is one error naming the field, so that a
/// bad config leaves no state directory, cgroup, namespace or process behind.
/// </summary>
internal static class SpecValidator
{
    static readonly string[] NamespaceTypes = ["pid", "network", "mount", "ipc", "uts", "user", "cgroup", "time"];

    public static void Validate(RuntimeSpec spec, string bundle)
    {
        if (spec.Root is null || string.IsNullOrEmpty(spec.Root.Path))
            throw RuntimeError.Invalid("root.path: must be set");
        string rootfs = RootfsPath(spec, bundle);
        if (!Directory.Exists(rootfs))
            throw RuntimeError.Invalid($"root.path: rootfs ({rootfs}) does not exist");

        var process = spec.Process ?? throw RuntimeError.Invalid("process: must be set");
        ValidateProcess(process, "process");

        var linux = spec.Linux ?? throw RuntimeError.Invalid("linux: must be set");
        var namespaces = new HashSet<string>();
        for (int i = 0; i < (linux.Namespaces?.Count ?? 0); i++)
        {
            var ns = linux.Namespaces![i];
            if (Array.IndexOf(NamespaceTypes, ns.Type) < 0)
                throw RuntimeError.Invalid($"linux.namespaces[{i}].type: unknown namespace type \"{ns.Type}\"");
            if (!namespaces.Add(ns.Type))
                throw RuntimeError.Invalid($"linux.namespaces[{i}]: duplicate namespace \"{ns.Type}\"");
            if (!Namespaces.IsSupported(ToKind(ns.Type)))
                throw new RuntimeError(ErrorKind.Unsupported, $"linux.namespaces[{i}]: this kernel has no {ns.Type} namespace");
            if (!string.IsNullOrEmpty(ns.Path) && !File.Exists(ns.Path))
                throw RuntimeError.Invalid($"linux.namespaces[{i}].path: {ns.Path}: no such file or directory");
        }
        bool Has(string type) => namespaces.Contains(type);
        bool Creates(string type) => linux.Namespaces!.Any(n => n.Type == type && string.IsNullOrEmpty(n.Path));

        if (!Has("mount"))
            throw RuntimeError.Invalid("linux.namespaces: a mount namespace is required");
        if (!string.IsNullOrEmpty(spec.Hostname) && !Has("uts"))
            throw RuntimeError.Invalid("hostname: unable to set hostname without a private UTS namespace");
        if (!string.IsNullOrEmpty(spec.Domainname) && !Has("uts"))
            throw RuntimeError.Invalid("domainname: unable to set domainname without a private UTS namespace");
        bool userMaps = linux.UidMappings is { Count: > 0 } || linux.GidMappings is { Count: > 0 };
        if (Has("user") && Creates("user") && (linux.UidMappings is not { Count: > 0 } || linux.GidMappings is not { Count: > 0 }))
            throw RuntimeError.Invalid("linux.uidMappings: user namespaces enabled, but no uid or gid mappings found");
        if (userMaps && !Has("user"))
            throw RuntimeError.Invalid("linux.uidMappings: mappings given without a user namespace");
        if (linux.TimeOffsets is { Count: > 0 } && !Creates("time"))
            throw RuntimeError.Invalid("linux.timeOffsets: time offsets need a new time namespace");
        foreach (var key in linux.TimeOffsets?.Keys ?? Enumerable.Empty<string>())
            if (key is not ("monotonic" or "boottime"))
                throw RuntimeError.Invalid($"linux.timeOffsets: unknown clock \"{key}\"");

        foreach (var (key, _) in linux.Sysctl ?? [])
            ValidateSysctl(key, Has);

        if (linux.RootfsPropagation is { Length: > 0 } p && p is not ("shared" or "rshared" or "slave" or "rslave" or "private" or "rprivate" or "unbindable" or "runbindable"))
            throw RuntimeError.Invalid($"linux.rootfsPropagation: unknown propagation \"{p}\"");

        for (int i = 0; i < (spec.Mounts?.Count ?? 0); i++)
        {
            var m = spec.Mounts![i];
            if (string.IsNullOrEmpty(m.Destination) || m.Destination[0] != '/')
                throw RuntimeError.Invalid($"mounts[{i}].destination: \"{m.Destination}\" is not an absolute path");
            bool bind = m.Type == "bind" || (m.Options?.Contains("bind") ?? false) || (m.Options?.Contains("rbind") ?? false);
            if (bind && !Path.Exists(m.Source) && new FileInfo(m.Source ?? "").LinkTarget is null)
                throw RuntimeError.Invalid($"mounts[{i}].source: bind source \"{m.Source}\" for {m.Destination}: no such file or directory");
            if (m.Type is "cgroup" or "cgroup2" && !Has("mount"))
                throw RuntimeError.Invalid($"mounts[{i}]: cgroup mounts need a mount namespace");
        }
        for (int i = 0; i < (linux.Devices?.Count ?? 0); i++)
        {
            var d = linux.Devices![i];
            if (string.IsNullOrEmpty(d.Path) || d.Path[0] != '/')
                throw RuntimeError.Invalid($"linux.devices[{i}].path: \"{d.Path}\" is not an absolute path");
            if (d.Type is not ("c" or "b" or "u" or "p"))
                throw RuntimeError.Invalid($"linux.devices[{i}].type: unknown device type \"{d.Type}\"");
        }
        foreach (var path in (linux.MaskedPaths ?? []).Concat(linux.ReadonlyPaths ?? []))
            if (path.Length == 0 || path[0] != '/')
                throw RuntimeError.Invalid($"linux.maskedPaths/readonlyPaths: \"{path}\" is not an absolute path");
        ValidateHooks(spec.Hooks);
    }

    public static void ValidateProcess(Oci.Runtime.Process process, string field)
    {
        if (process.Args is not { Count: > 0 } || string.IsNullOrEmpty(process.Args[0]))
            throw RuntimeError.Invalid($"{field}.args: args must not be empty");
        if (string.IsNullOrEmpty(process.Cwd))
            throw RuntimeError.Invalid($"{field}.cwd: cwd property must not be empty");
        if (process.Cwd[0] != '/')
            throw RuntimeError.Invalid($"{field}.cwd: cwd must be an absolute path");
        var caps = process.Capabilities;
        foreach (var (set, names) in new[] { ("bounding", caps?.Bounding), ("effective", caps?.Effective), ("permitted", caps?.Permitted), ("inheritable", caps?.Inheritable), ("ambient", caps?.Ambient) })
            foreach (var name in names ?? [])
                if (!Capabilities.TryParse(name, out _))
                    throw RuntimeError.Invalid($"{field}.capabilities.{set}: unknown capability \"{name}\"");
        var seen = new HashSet<string>();
        foreach (var r in process.Rlimits ?? [])
        {
            if (!Rlimits.TryParse(r.Type, out _))
                throw RuntimeError.Invalid($"{field}.rlimits: unknown rlimit type \"{r.Type}\"");
            if (!seen.Add(r.Type))
                throw RuntimeError.Invalid($"{field}.rlimits: duplicate rlimit type \"{r.Type}\"");
            if (r.Soft > r.Hard)
                throw RuntimeError.Invalid($"{field}.rlimits: {r.Type} soft limit {r.Soft} is above its hard limit {r.Hard}");
        }
        if (process.OomScoreAdj is < -1000 or > 1000)
            throw RuntimeError.Invalid($"{field}.oomScoreAdj: {process.OomScoreAdj} is outside -1000..1000");
    }

    static void ValidateSysctl(string key, Func<string, bool> has)
    {
        bool ipc = key is "kernel.msgmax" or "kernel.msgmnb" or "kernel.msgmni" or "kernel.sem" or "kernel.shmall" or "kernel.shmmax" or "kernel.shmmni" or "kernel.shm_rmid_forced"
            || key.StartsWith("fs.mqueue.", StringComparison.Ordinal);
        if (ipc)
        {
            if (!has("ipc"))
                throw RuntimeError.Invalid($"linux.sysctl: sysctl \"{key}\" is not allowed in the hosts ipc namespace");
            return;
        }
        if (key.StartsWith("net.", StringComparison.Ordinal))
        {
            if (!has("network"))
                throw RuntimeError.Invalid($"linux.sysctl: sysctl \"{key}\" not allowed in host network namespace");
            return;
        }
        if (key is "kernel.hostname" or "kernel.domainname")
        {
            if (!has("uts"))
                throw RuntimeError.Invalid($"linux.sysctl: sysctl \"{key}\" is not allowed as it conflicts with the OCI \"hostname\" field");
            return;
        }
        throw RuntimeError.Invalid($"linux.sysctl: sysctl \"{key}\" is not in a separate kernel namespace");
    }

    static void ValidateHooks(Oci.Runtime.Hooks? hooks)
    {
        if (hooks is null)
            return;
        foreach (var (kind, list) in new[] { ("prestart", hooks.Prestart), ("createRuntime", hooks.CreateRuntime), ("createContainer", hooks.CreateContainer), ("startContainer", hooks.StartContainer), ("poststart", hooks.Poststart), ("poststop", hooks.Poststop) })
            for (int i = 0; i < (list?.Count ?? 0); i++)
            {
                var h = list![i];
                if (string.IsNullOrEmpty(h.Path) || h.Path[0] != '/')
                    throw RuntimeError.Invalid($"hooks.{kind}[{i}].path: \"{h.Path}\" is not an absolute path");
                if (h.Timeout is <= 0)
                    throw RuntimeError.Invalid($"hooks.{kind}[{i}].timeout: must be greater than zero");
            }
    }

    public static string RootfsPath(RuntimeSpec spec, string bundle)
    {
        string path = spec.Root!.Path;
        return Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(bundle, path));
    }

    public static NamespaceKind ToKind(string type) => type switch
    {
        "pid" => NamespaceKind.Pid,
        "network" => NamespaceKind.Network,
        "mount" => NamespaceKind.Mount,
        "ipc" => NamespaceKind.Ipc,
        "uts" => NamespaceKind.Uts,
        "user" => NamespaceKind.User,
        "cgroup" => NamespaceKind.Cgroup,
        "time" => NamespaceKind.Time,
        _ => throw RuntimeError.Invalid($"linux.namespaces: unknown namespace type \"{type}\""),
    };
}
