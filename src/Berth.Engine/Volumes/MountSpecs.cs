using Berth.Engine.Model;
using Berth.Images;

namespace Berth.Engine.Volumes;

/// <summary>
/// <c>-v</c> strings and <c>--mount</c> objects to mount points, with the checks and texts of Docker's Linux mount
/// parser (moby volume/mounts/linux_parser.go). Pure: nothing is looked up or made here except whether a bind's
/// source exists.
/// </summary>
public static class MountSpecs
{
    static readonly string[] Propagations = ["private", "rprivate", "shared", "rshared", "slave", "rslave"];

    /// <summary>One entry of HostConfig.Binds: <c>/host:/ctr[:mode]</c>, <c>name:/ctr[:mode]</c> or <c>/ctr</c>.</summary>
    public static PlannedMount ParseBind(string spec)
    {
        var parts = spec.Split(':');
        if (parts.Length > 3 || parts.Any(p => p.Length == 0))
            throw EngineException.Invalid($"invalid volume specification: '{spec}'");
        if (parts.Length == 1)
        {
            var anonymous = Volume(spec, parts[0], mode: "", spec);
            return new PlannedMount(anonymous);
        }
        string source = parts[0];
        string mode = parts.Length == 3 ? parts[2] : "";
        if (!ValidMode(mode))
            throw EngineException.Invalid($"invalid mode: {mode}");
        var modes = mode.Split(',', StringSplitOptions.RemoveEmptyEntries);
        bool bind = source.StartsWith('/');
        string type = bind ? "bind" : "volume";
        string destination = Destination(spec, parts[1], type);
        if (bind)
        {
            if (modes.Contains("nocopy"))
                throw EngineException.Invalid($"invalid volume specification: '{spec}': invalid mode: {mode}");
            return new PlannedMount(new ContainerMountPoint
            {
                Type = "bind",
                Source = GoPath.Clean(source),
                Destination = destination,
                Mode = mode,
                RW = !modes.Contains("ro"),
                Propagation = modes.FirstOrDefault(Propagations.Contains) ?? "rprivate",
                Named = true,
                CreateSource = true,
            });
        }
        if (modes.Any(Propagations.Contains))
            throw EngineException.Invalid($"invalid volume specification: '{spec}': invalid mount config for type \"volume\": propagation mode is only valid for bind mounts");
        VolumeNames.Validate(source);
        var point = Volume(spec, parts[1], mode.Length == 0 ? "z" : mode, spec);
        point.Name = source;
        point.Named = true;
        point.RW = !modes.Contains("ro");
        point.CopyData = !modes.Contains("nocopy");
        return new PlannedMount(point);
    }

    static ContainerMountPoint Volume(string spec, string destination, string mode, string whole) => new()
    {
        Type = "volume",
        Destination = Destination(whole, destination, "volume"),
        Driver = LocalDriver.Name,
        Mode = mode,
        CopyData = true,
    };

    static string Destination(string spec, string destination, string type)
    {
        if (!destination.StartsWith('/'))
            throw EngineException.Invalid($"invalid volume specification: '{spec}': invalid mount config for type \"{type}\": invalid mount path: '{destination}' mount path must be absolute");
        string clean = GoPath.Clean(destination);
        if (clean == "/")
            throw EngineException.Invalid($"invalid volume specification: '{spec}': invalid mount config for type \"{type}\": invalid specification: destination can't be '/'");
        return clean;
    }

    /// <summary>Docker's linuxValidMountMode: comma-separated, at most one of each kind.</summary>
    static bool ValidMode(string mode)
    {
        if (mode.Length == 0)
            return true;
        int rw = 0, label = 0, propagation = 0, copy = 0;
        foreach (string m in mode.Split(','))
        {
            switch (m)
            {
                case "rw" or "ro": rw++; break;
                case "z" or "Z": label++; break;
                case "nocopy": copy++; break;
                default:
                    if (!Propagations.Contains(m))
                        return false;
                    propagation++;
                    break;
            }
        }
        return rw <= 1 && label <= 1 && propagation <= 1 && copy <= 1;
    }

    /// <summary>One entry of HostConfig.Mounts (<c>--mount</c>).</summary>
    public static PlannedMount ParseMount(ContainerMount mount)
    {
        string type = mount.Type ?? "";
        string Error(string what) => $"invalid mount config for type \"{type}\": {what}";
        if (type is not ("bind" or "volume" or "tmpfs"))
            throw EngineException.Invalid(type.Length == 0 ? "invalid mount config: mount type must not be empty" : Error("mount type unknown"));
        string target = mount.Target ?? "";
        if (target.Length == 0)
            throw EngineException.Invalid(Error("field Target must not be empty"));
        if (!target.StartsWith('/'))
            throw EngineException.Invalid(Error($"invalid mount path: '{target}' mount path must be absolute"));
        string destination = GoPath.Clean(target);
        if (destination == "/")
            throw EngineException.Invalid(Error("invalid specification: destination can't be '/'"));
        string source = mount.Source ?? "";
        switch (type)
        {
            case "bind":
                if (source.Length == 0)
                    throw EngineException.Invalid(Error("field Source must not be empty"));
                if (mount.VolumeOptions is not null)
                    throw EngineException.Invalid(Error("field VolumeOptions must not be specified"));
                if (mount.TmpfsOptions is not null)
                    throw EngineException.Invalid(Error("field TmpfsOptions must not be specified"));
                if (!source.StartsWith('/'))
                    throw EngineException.Invalid(Error($"invalid mount path: '{source}' mount path must be absolute"));
                string propagation = mount.BindOptions?.Propagation ?? "";
                if (propagation.Length > 0 && !Propagations.Contains(propagation))
                    throw EngineException.Invalid(Error($"invalid propagation mode: {propagation}"));
                bool create = mount.BindOptions?.CreateMountpoint == true;
                if (!create && !Directory.Exists(source) && !File.Exists(source))
                    throw EngineException.Invalid(Error($"bind source path does not exist: {source}"));
                return new PlannedMount(new ContainerMountPoint
                {
                    Type = "bind",
                    Source = GoPath.Clean(source),
                    Destination = destination,
                    RW = !mount.ReadOnly,
                    Propagation = propagation.Length == 0 ? "rprivate" : propagation,
                    Named = true,
                    NonRecursive = mount.BindOptions?.NonRecursive == true,
                    CreateSource = create,
                });
            case "volume":
                if (mount.BindOptions is not null)
                    throw EngineException.Invalid(Error("field BindOptions must not be specified"));
                if (mount.TmpfsOptions is not null)
                    throw EngineException.Invalid(Error("field TmpfsOptions must not be specified"));
                if (!string.IsNullOrEmpty(mount.VolumeOptions?.Subpath))
                    throw EngineException.Invalid(Error("volume subpaths are not supported"));
                string driver = mount.VolumeOptions?.DriverConfig?.Name ?? "";
                if (driver.Length > 0 && driver != LocalDriver.Name)
                    throw EngineException.NotFound($"error looking up volume plugin {driver}: plugin \"{driver}\" not found");
                if (source.Length > 0)
                    VolumeNames.Validate(source);
                var options = mount.VolumeOptions?.DriverConfig?.Options;
                if (LocalDriver.Check(options) is { } bad)
                    throw EngineException.Invalid($"create {source}: {bad}");
                return new PlannedMount(new ContainerMountPoint
                {
                    Type = "volume",
                    Name = source,
                    Destination = destination,
                    Driver = LocalDriver.Name,
                    RW = !mount.ReadOnly,
                    Named = source.Length > 0,
                    CopyData = mount.VolumeOptions?.NoCopy != true,
                }, mount.VolumeOptions?.Labels, options is { Count: > 0 } ? new Dictionary<string, string>(options) : null);
            default:
                if (source.Length > 0)
                    throw EngineException.Invalid(Error("field Source must not be specified"));
                if (mount.BindOptions is not null)
                    throw EngineException.Invalid(Error("field BindOptions must not be specified"));
                if (mount.VolumeOptions is not null)
                    throw EngineException.Invalid(Error("field VolumeOptions must not be specified"));
                if (mount.TmpfsOptions?.SizeBytes < 0)
                    throw EngineException.Invalid(Error("invalid tmpfs size"));
                return new PlannedMount(new ContainerMountPoint
                {
                    Type = "tmpfs",
                    Destination = destination,
                    RW = !mount.ReadOnly,
                    TmpfsSize = mount.TmpfsOptions?.SizeBytes ?? 0,
                    TmpfsMode = mount.TmpfsOptions?.Mode ?? 0,
                });
        }
    }
}
