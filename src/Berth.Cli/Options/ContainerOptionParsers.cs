using System.Globalization;
using System.Net;
using System.Text.Json;
using Berth.Cli.Client;
using Berth.Cli.CommandLine;
using Berth.Cli.Output;
using Berth.Engine.Model;

namespace Berth.Cli.Options;

/// <summary>The value syntaxes of docker run's flags (docker's opts package), with docker's error texts.</summary>
internal static class ContainerOptionParsers
{
    /// <summary>opts.NanoCPUs: a decimal number of CPUs, in billionths.</summary>
    public static long NanoCpus(string value)
    {
        if (!decimal.TryParse(value, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out decimal cpus))
            throw new FlagValueException($"failed to parse {value} as a rational number");
        decimal nano = cpus * 1_000_000_000m;
        if (nano != decimal.Truncate(nano))
            throw new FlagValueException("value is too precise");
        return (long)nano;
    }

    /// <summary>opts.MemSwapBytes: a size, or -1 for unlimited swap.</summary>
    public static long MemorySwap(string value) => value == "-1" ? -1 : HumanUnits.RamInBytes(value);

    /// <summary>"host:ip" or "host=ip" (opts.ValidateExtraHost); sent as "host:ip".</summary>
    public static string ExtraHost(string value)
    {
        int sep = value.IndexOf('=');
        if (sep < 0)
            sep = value.IndexOf(':');
        if (sep <= 0)
            throw new FlagValueException($"bad format for add-host: {GoStrconv.GoQuote(value)}");
        string host = value[..sep];
        string ip = value[(sep + 1)..];
        if (ip.StartsWith('[') && ip.EndsWith(']'))
            ip = ip[1..^1];
        if (ip != "host-gateway" && !IPAddress.TryParse(ip, out _))
            throw new FlagValueException($"invalid IP address in add-host: {GoStrconv.GoQuote(ip)}");
        return host + ":" + ip;
    }

    public static string IpAddress(string value)
    {
        if (!IPAddress.TryParse(value.Trim(), out var ip))
            throw new FlagValueException($"IP address is not correctly formatted: {value}");
        return ip.ToString();
    }

    /// <summary>opts.ValidateAttach: stdin, stdout or stderr, any case.</summary>
    public static string Attach(string value)
    {
        string s = value.ToLowerInvariant();
        if (s is "stdin" or "stdout" or "stderr")
            return s;
        throw new FlagValueException("valid streams are STDIN, STDOUT and STDERR");
    }

    /// <summary>Run's restart policy: <see cref="ParseRestartPolicy"/>, then a known name and a retry count only for on-failure.</summary>
    public static RestartPolicy RestartPolicy(string policy)
    {
        var result = ParseRestartPolicy(policy);
        if (result.MaximumRetryCount != 0 && result.Name != "on-failure")
            throw new CliException($"invalid restart policy format: maximum retry count can only be used with 'on-failure'");
        if (result.Name.Length > 0 && result.Name is not ("no" or "always" or "unless-stopped" or "on-failure"))
            throw new CliException($"invalid restart policy '{result.Name}'");
        return result;
    }

    /// <summary>opts.ParseRestartPolicy: name[:max-retries], the name left for the daemon to check.</summary>
    public static RestartPolicy ParseRestartPolicy(string policy)
    {
        var result = new RestartPolicy();
        if (policy.Length == 0)
            return result;
        string name = policy;
        string? count = null;
        int colon = policy.IndexOf(':');
        if (colon >= 0)
        {
            name = policy[..colon];
            count = policy[(colon + 1)..];
        }
        if (name.Length == 0)
            throw new CliException($"invalid restart policy format: no policy provided before colon");
        result.Name = name;
        if (!string.IsNullOrEmpty(count))
        {
            if (!int.TryParse(count, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int n))
                throw new CliException($"invalid restart policy format: maximum retry count must be an integer");
            result.MaximumRetryCount = n;
        }
        return result;
    }

    /// <summary>units.ParseUlimit: name=soft[:hard].</summary>
    public static Ulimit Ulimit(string value)
    {
        int eq = value.IndexOf('=');
        if (eq < 0)
            throw new FlagValueException($"invalid ulimit argument: {value}");
        string name = value[..eq];
        if (!KnownUlimits.Contains(name))
            throw new FlagValueException($"invalid ulimit type: {name}");
        string[] limits = value[(eq + 1)..].Split(':');
        if (limits.Length > 2)
            throw new FlagValueException($"too many limit value arguments - {value[(eq + 1)..]}, can only have up to two, `soft[:hard]`");
        if (!long.TryParse(limits[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long soft))
            throw new FlagValueException($"invalid ulimit soft value: {limits[0]}");
        long hard = soft;
        if (limits.Length == 2 && !long.TryParse(limits[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out hard))
            throw new FlagValueException($"invalid ulimit hard value: {limits[1]}");
        if (soft > hard)
            throw new FlagValueException($"ulimit soft limit must be less than or equal to hard limit: {soft} > {hard}");
        return new Ulimit { Name = name, Soft = soft, Hard = hard };
    }

    static readonly HashSet<string> KnownUlimits =
        ["as", "core", "cpu", "data", "fsize", "locks", "memlock", "msgqueue", "nice", "nofile", "nproc", "rss", "rtprio", "rttime", "sigpending", "stack"];

    /// <summary>opts.NormalizeCapabilities and EffectiveCapAddCapDrop: CAP_ prefixed, upper case, ALL wins, add beats drop.</summary>
    public static (List<string>? Add, List<string>? Drop) Capabilities(IEnumerable<string> add, IEnumerable<string> drop)
    {
        static List<string> Normalize(IEnumerable<string> caps)
        {
            var list = new List<string>();
            foreach (var c in caps)
            {
                string cap = c.Trim().ToUpperInvariant();
                if (cap is not ("ALL" or "RESET") && !cap.StartsWith("CAP_", StringComparison.Ordinal))
                    cap = "CAP_" + cap;
                if (!list.Contains(cap))
                    list.Add(cap);
            }
            return list;
        }
        var addCaps = Normalize(add);
        var dropCaps = Normalize(drop);
        if (addCaps.Contains("ALL"))
            addCaps = ["ALL"];
        if (dropCaps.Contains("ALL"))
            dropCaps = ["ALL"];
        dropCaps.RemoveAll(addCaps.Contains);
        return (addCaps.Count == 0 ? null : addCaps, dropCaps.Count == 0 ? null : dropCaps);
    }

    /// <summary>parseSecurityOpts: "key=value" (or "key:value"); a seccomp profile file is sent inline, compacted.</summary>
    public static List<string> SecurityOpts(IEnumerable<string> options)
    {
        var result = new List<string>();
        foreach (var opt in options)
        {
            int sep = opt.IndexOf('=');
            if (sep < 0 && opt != "no-new-privileges")
                sep = opt.IndexOf(':');
            string key = sep < 0 ? opt : opt[..sep];
            string value = sep < 0 ? "" : opt[(sep + 1)..];
            if (value.Length == 0 && key != "no-new-privileges")
                throw new CliException($"Invalid --security-opt: {GoStrconv.GoQuote(opt)}");
            if (key == "seccomp" && value is not ("builtin" or "unconfined"))
            {
                byte[] profile;
                try
                {
                    profile = File.ReadAllBytes(value);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new CliException($"opening seccomp profile ({value}) failed: open {value}: no such file or directory");
                }
                try
                {
                    using var doc = JsonDocument.Parse(profile);
                    using var compact = new MemoryStream();
                    using (var writer = new Utf8JsonWriter(compact, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
                        doc.RootElement.WriteTo(writer);
                    result.Add("seccomp=" + System.Text.Encoding.UTF8.GetString(compact.ToArray()));
                }
                catch (JsonException e)
                {
                    throw new CliException($"compacting json for seccomp profile ({value}) failed: {e.Message}");
                }
                continue;
            }
            result.Add(opt);
        }
        return result;
    }

    /// <summary>--tmpfs path[:options].</summary>
    public static (string Path, string Options) Tmpfs(string value)
    {
        int colon = value.IndexOf(':');
        return colon < 0 ? (value, "") : (value[..colon], value[(colon + 1)..]);
    }

    /// <summary>
    /// -v: "container-path" is an anonymous volume; "source:target[:options]" a bind (or named volume) passed to the
    /// daemon as written.
    /// </summary>
    public static (string? Bind, string? AnonymousVolume) Volume(string spec)
    {
        string[] parts = spec.Split(':');
        if (parts.Length == 1)
        {
            if (!spec.StartsWith('/'))
                throw new CliException($"invalid volume specification: '{spec}': invalid mount config for type \"volume\": invalid mount path: '{spec}' mount path must be absolute");
            return (null, spec);
        }
        if (parts.Length > 3 || parts[0].Length == 0 || parts[1].Length == 0)
            throw new CliException($"invalid volume specification: '{spec}'");
        if (!parts[1].StartsWith('/'))
            throw new CliException($"invalid volume specification: '{spec}': invalid mount config for type \"bind\": invalid mount path: '{parts[1]}' mount path must be absolute");
        return (spec, null);
    }

    /// <summary>--mount type=bind,source=/a,target=/b,readonly (the common keys).</summary>
    public static ContainerMount Mount(string value)
    {
        var mount = new ContainerMount { Type = "volume" };
        foreach (var field in value.Split(','))
        {
            int eq = field.IndexOf('=');
            string key = (eq < 0 ? field : field[..eq]).Trim().ToLowerInvariant();
            string? v = eq < 0 ? null : field[(eq + 1)..];
            switch (key)
            {
                case "type": mount.Type = v; break;
                case "source" or "src": mount.Source = v; break;
                case "target" or "dst" or "destination": mount.Target = v; break;
                case "readonly" or "ro":
                    mount.ReadOnly = v is null || GoStrconv.ParseBool(v);
                    break;
                case "bind-propagation":
                    (mount.BindOptions ??= new BindOptions()).Propagation = v;
                    break;
                case "volume-nocopy":
                    (mount.VolumeOptions ??= new VolumeOptions()).NoCopy = v is null || GoStrconv.ParseBool(v);
                    break;
                case "tmpfs-size":
                    (mount.TmpfsOptions ??= new TmpfsOptions()).SizeBytes = HumanUnits.RamInBytes(v ?? "");
                    break;
                case "tmpfs-mode":
                    (mount.TmpfsOptions ??= new TmpfsOptions()).Mode = Convert.ToUInt32(v ?? "0", 8);
                    break;
                case "consistency": mount.Consistency = v; break;
                default:
                    throw new FlagValueException($"unexpected key '{key}' in '{field}'");
            }
        }
        if (string.IsNullOrEmpty(mount.Target))
            throw new FlagValueException("target is required");
        return mount;
    }

    /// <summary>--device /dev/host[:/dev/container[:permissions]].</summary>
    public static DeviceMapping Device(string value)
    {
        string[] parts = value.Split(':');
        string permissions = "rwm";
        string dst = parts[0];
        if (parts.Length == 3)
        {
            dst = parts[1];
            permissions = parts[2];
        }
        else if (parts.Length == 2)
        {
            if (parts[1].Length > 0 && parts[1].All(c => c is 'r' or 'w' or 'm'))
                permissions = parts[1];
            else
                dst = parts[1];
        }
        else if (parts.Length != 1)
        {
            throw new FlagValueException($"invalid device specification: {value}");
        }
        return new DeviceMapping { PathOnHost = parts[0], PathInContainer = dst, CgroupPermissions = permissions };
    }

    public static WeightDevice WeightDevice(string value)
    {
        int colon = value.LastIndexOf(':');
        if (colon <= 0 || !value.StartsWith("/dev/", StringComparison.Ordinal))
            throw new FlagValueException($"bad format: {value}");
        if (!ushort.TryParse(value[(colon + 1)..], out ushort weight) || weight != 0 && weight is < 10 or > 1000)
            throw new FlagValueException($"invalid weight for device: {value}");
        return new WeightDevice { Path = value[..colon], Weight = weight };
    }

    public static ThrottleDevice ThrottleBps(string value)
    {
        int colon = value.LastIndexOf(':');
        if (colon <= 0 || !value.StartsWith("/dev/", StringComparison.Ordinal))
            throw new FlagValueException($"bad format: {value}");
        long rate;
        try
        {
            rate = HumanUnits.RamInBytes(value[(colon + 1)..]);
        }
        catch (FlagValueException)
        {
            throw new FlagValueException($"invalid rate for device: {value}. The correct format is <device-path>:<number>[<unit>]. Number must be a positive integer. Unit is optional and can be kb, mb, or gb");
        }
        return new ThrottleDevice { Path = value[..colon], Rate = (ulong)rate };
    }

    public static ThrottleDevice ThrottleIops(string value)
    {
        int colon = value.LastIndexOf(':');
        if (colon <= 0 || !value.StartsWith("/dev/", StringComparison.Ordinal) || !ulong.TryParse(value[(colon + 1)..], out ulong rate))
            throw new FlagValueException($"invalid rate for device: {value}. The correct format is <device-path>:<number>. Number must be a positive integer");
        return new ThrottleDevice { Path = value[..colon], Rate = rate };
    }
}
