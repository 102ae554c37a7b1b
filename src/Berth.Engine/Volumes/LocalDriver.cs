using Berth.Linux;

namespace Berth.Engine.Volumes;

/// <summary>
/// Docker's <c>local</c> volume driver's options (moby volume/local): a plain directory, or, with <c>type</c>,
/// <c>device</c> and <c>o</c>, whatever mount(8) would make of them (tmpfs, a bind of a host directory, a block
/// device), mounted on the volume's _data.
/// </summary>
public static class LocalDriver
{
    public const string Name = "local";

    static readonly string[] Known = ["type", "device", "o", "size"];

    /// <summary>The options' checks, with Docker's texts (without the "create name: " prefix).</summary>
    public static string? Check(IReadOnlyDictionary<string, string>? options)
    {
        if (options is null)
            return null;
        foreach (string key in options.Keys.Order(StringComparer.Ordinal))
        {
            if (!Known.Contains(key))
                return $"invalid option key: \"{key}\"";
        }
        if (options.ContainsKey("size"))
            return "quota size requested but no quota support";
        if ((options.ContainsKey("type") || options.ContainsKey("o")) && !options.ContainsKey("device"))
            return "missing required option: \"device\"";
        return null;
    }

    /// <summary>Whether the volume's data is a mount of its own rather than a directory.</summary>
    public static bool Mounts(IReadOnlyDictionary<string, string>? options) => options is not null && options.ContainsKey("device");

    /// <summary>Mounts the device the options name on <paramref name="target"/>, unless something is mounted there already.</summary>
    public static void Mount(IReadOnlyDictionary<string, string> options, string target)
    {
        if (IsMountPoint(target))
            return;
        options.TryGetValue("type", out string? type);
        options.TryGetValue("o", out string? o);
        var (flags, data) = ParseOptions(o ?? "");
        if (type == "bind")
            flags |= MountFlags.Bind;
        Berth.Linux.Mounts.Mount(options["device"], target, type is null or "bind" ? null : type, flags, data.Length == 0 ? null : data);
    }

    public static void Unmount(string target)
    {
        if (IsMountPoint(target))
            Berth.Linux.Mounts.TryUnmount(target, UnmountFlags.Detach);
    }

    public static bool IsMountPoint(string path) => MountInfo.Read().Any(m => m.MountPoint == path);

    /// <summary>mount(8)'s <c>-o</c>: flag words to mount flags, the rest (size=, mode=, uid=) to the data string.</summary>
    public static (MountFlags Flags, string Data) ParseOptions(string options)
    {
        var flags = MountFlags.None;
        var data = new List<string>();
        foreach (string option in options.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            switch (option)
            {
                case "ro": flags |= MountFlags.ReadOnly; break;
                case "rw": flags &= ~MountFlags.ReadOnly; break;
                case "nosuid": flags |= MountFlags.NoSuid; break;
                case "nodev": flags |= MountFlags.NoDev; break;
                case "noexec": flags |= MountFlags.NoExec; break;
                case "sync": flags |= MountFlags.Synchronous; break;
                case "noatime": flags |= MountFlags.NoAtime; break;
                case "nodiratime": flags |= MountFlags.NoDirAtime; break;
                case "relatime": flags |= MountFlags.RelAtime; break;
                case "strictatime": flags |= MountFlags.StrictAtime; break;
                case "bind": flags |= MountFlags.Bind; break;
                case "rbind": flags |= MountFlags.Bind | MountFlags.Recursive; break;
                case "suid" or "dev" or "exec" or "async" or "atime" or "defaults": break;
                default: data.Add(option); break;
            }
        }
        return (flags, string.Join(',', data));
    }
}
