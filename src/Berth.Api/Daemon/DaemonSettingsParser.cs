using System.Globalization;
using System.Text.Json;
using Berth.Engine;
using Berth.Engine.Logs;
using Berth.Engine.Model;
using Berth.Engine.Security;
using LogConfig = Berth.Engine.Logs.LogConfig;

namespace Berth.Api.Daemon;

/// <summary>An error in berthd's flags or config file, with dockerd's wording where it has one.</summary>
public sealed class DaemonSettingsException(string message) : Exception(message);

/// <summary>
/// dockerd's flags and daemon.json, where they apply to Berth: the file (--config-file, by default
/// /etc/berth/daemon.json when it exists) gives defaults, flags override, and everything else has
/// an embedded default.
/// </summary>
public static class DaemonSettingsParser
{
    static readonly HashSet<string> ValueFlags =
    [
        "-H", "--host", "--data-root", "--exec-root", "--pidfile", "-p", "--config-file", "--log-level", "-l", "--tlscacert",
        "--tlscert", "--tlskey", "--default-runtime", "--add-runtime", "--storage-driver", "-s", "--log-driver", "--log-opt",
        "--default-ulimit", "--group", "-G", "--cgroup-parent", "--init-path", "--seccomp-profile", "--bridge", "-b", "--bip",
        "--insecure-registry", "--registry-mirror", "--registry-addr", "--registry-config",
    ];

    static readonly HashSet<string> BoolFlags = ["--tls", "--tlsverify", "--live-restore", "-D", "--debug", "--init", "--no-new-privileges"];

    public static DaemonSettings Parse(IReadOnlyList<string> args)
    {
        var flags = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            string name = arg;
            string? value = null;
            int eq = arg.IndexOf('=');
            if (arg.StartsWith("--", StringComparison.Ordinal) && eq > 0)
            {
                name = arg[..eq];
                value = arg[(eq + 1)..];
            }
            if (BoolFlags.Contains(name))
            {
                flags[Canonical(name)] = [value ?? "true"];
                continue;
            }
            if (!ValueFlags.Contains(name))
                throw new DaemonSettingsException($"unknown flag: {name}");
            if (value is null)
            {
                if (i + 1 >= args.Count)
                    throw new DaemonSettingsException($"flag needs an argument: {name}");
                value = args[++i];
            }
            string key = Canonical(name);
            if (!flags.TryGetValue(key, out var list))
                flags[key] = list = [];
            list.Add(value);
        }

        string? configFile = Last(flags, "--config-file");
        var file = LoadConfigFile(configFile ?? DaemonSettings.DefaultConfigFile, required: configFile is not null);

        string dataRoot = Last(flags, "--data-root") ?? file.GetString("data-root") ?? "/var/lib/berth";
        string execRoot = Last(flags, "--exec-root") ?? file.GetString("exec-root") ?? "/run/berth";
        var runtimes = DefaultRuntimes();
        foreach (var (name, path, runtimeArgs) in file.Runtimes())
            runtimes[name] = new RuntimeDefinition(name, path, runtimeArgs);
        foreach (string spec in flags.GetValueOrDefault("--add-runtime") ?? [])
        {
            int eq = spec.IndexOf('=');
            if (eq <= 0 || eq == spec.Length - 1)
                throw new DaemonSettingsException($"invalid --add-runtime value \"{spec}\": expected name=path");
            runtimes[spec[..eq]] = new RuntimeDefinition(spec[..eq], spec[(eq + 1)..], []);
        }
        string defaultRuntime = Last(flags, "--default-runtime") ?? file.GetString("default-runtime") ?? EngineOptions.DefaultRuntimeName;
        if (!runtimes.ContainsKey(defaultRuntime))
            throw new DaemonSettingsException($"default runtime {defaultRuntime} does not exist");

        var logOptions = file.GetStringMap("log-opts");
        foreach (string opt in flags.GetValueOrDefault("--log-opt") ?? [])
        {
            int eq = opt.IndexOf('=');
            if (eq <= 0)
                throw new DaemonSettingsException($"invalid key-value pair for --log-opt: {opt}");
            logOptions[opt[..eq]] = opt[(eq + 1)..];
        }
        var logConfig = new LogConfig(Last(flags, "--log-driver") ?? file.GetString("log-driver") ?? "json-file", logOptions);
        try
        {
            LogDrivers.Validate(logConfig);
        }
        catch (LogConfigException e)
        {
            throw new DaemonSettingsException(e.Message);
        }

        var ulimits = file.Ulimits();
        foreach (string u in flags.GetValueOrDefault("--default-ulimit") ?? [])
            ulimits[u.Split('=')[0]] = ParseUlimit(u);

        var hosts = flags.GetValueOrDefault("--host") ?? file.GetStringList("hosts") ?? [];
        if (hosts.Count == 0)
            hosts = ["unix://" + DaemonSettings.DefaultSocket];

        string seccompProfile = Last(flags, "--seccomp-profile") ?? file.GetString("seccomp-profile") ?? "";
        if (seccompProfile.Length == 0)
            seccompProfile = ContainerSeccomp.Builtin;

        bool tlsVerify = Bool(flags, "--tlsverify") ?? file.GetBool("tlsverify") ?? false;
        var settings = new DaemonSettings
        {
            Engine = new EngineOptions
            {
                DataRoot = Path.GetFullPath(dataRoot),
                ExecRoot = Path.GetFullPath(execRoot),
                Runtimes = runtimes,
                DefaultRuntime = defaultRuntime,
                DefaultLogConfig = logConfig,
                LiveRestore = Bool(flags, "--live-restore") ?? file.GetBool("live-restore") ?? false,
                StorageDriver = Last(flags, "--storage-driver") ?? file.GetString("storage-driver"),
                DefaultUlimits = [.. ulimits.Values],
                CgroupParent = Last(flags, "--cgroup-parent") ?? file.GetString("cgroup-parent") ?? "/berth",
                Init = Bool(flags, "--init") ?? file.GetBool("init") ?? false,
                InitPath = FindExecutable(Last(flags, "--init-path") ?? file.GetString("init-path") ?? "berth-init"),
                SeccompProfile = seccompProfile,
                SeccompProfileJson = ReadSeccompProfile(seccompProfile),
                NoNewPrivileges = Bool(flags, "--no-new-privileges") ?? file.GetBool("no-new-privileges") ?? false,
                BridgeName = Last(flags, "--bridge") ?? file.GetString("bridge") ?? "berth0",
                BridgeAddress = Last(flags, "--bip") ?? file.GetString("bip"),
                InsecureRegistries = [.. file.GetStringList("insecure-registries") ?? [], .. flags.GetValueOrDefault("--insecure-registry") ?? []],
                RegistryMirrors = [.. file.GetStringList("registry-mirrors") ?? [], .. flags.GetValueOrDefault("--registry-mirror") ?? []],
            },
            Hosts = hosts,
            PidFile = Last(flags, "--pidfile") ?? file.GetString("pidfile"),
            Tls = tlsVerify || (Bool(flags, "--tls") ?? file.GetBool("tls") ?? false),
            TlsVerify = tlsVerify,
            TlsCaCert = Last(flags, "--tlscacert") ?? file.GetString("tlscacert"),
            TlsCert = Last(flags, "--tlscert") ?? file.GetString("tlscert"),
            TlsKey = Last(flags, "--tlskey") ?? file.GetString("tlskey"),
            SocketGroup = Last(flags, "--group") ?? file.GetString("group") ?? "berth",
            LogLevel = Bool(flags, "--debug") == true ? "debug" : Last(flags, "--log-level") ?? file.GetString("log-level") ?? "info",
            Registry = EmbeddedRegistry(Last(flags, "--registry-addr") ?? file.GetString("registry-addr"),
                Last(flags, "--registry-config") ?? file.GetString("registry-config"), Path.GetFullPath(dataRoot)),
        };
        return settings;
    }

    /// <summary>
    /// The registry berthd embeds: its config file (berth registry serve's) if given, the address from the flag over it,
    /// storage under the data root unless the file says otherwise. None when neither is given.
    /// </summary>
    static Distribution.Server.RegistryConfig? EmbeddedRegistry(string? addr, string? configFile, string dataRoot)
    {
        if (addr is null && configFile is null)
            return null;
        Distribution.Server.RegistryConfig config;
        try
        {
            config = configFile is null ? new() : Distribution.Server.RegistryConfig.Load(configFile);
        }
        catch (Exception e) when (e is FormatException or IOException)
        {
            throw new DaemonSettingsException($"registry config: {e.Message}");
        }
        return config with { Addr = addr ?? config.Addr, Root = config.Root ?? Path.Combine(dataRoot, "registry") };
    }

    static string Canonical(string flag) => flag switch
    {
        "-H" => "--host",
        "-p" => "--pidfile",
        "-l" => "--log-level",
        "-s" => "--storage-driver",
        "-D" => "--debug",
        "-G" => "--group",
        "-b" => "--bridge",
        _ => flag,
    };

    static string? Last(Dictionary<string, List<string>> flags, string name)
        => flags.TryGetValue(name, out var list) && list.Count > 0 ? list[^1] : null;

    static bool? Bool(Dictionary<string, List<string>> flags, string name)
    {
        string? v = Last(flags, name);
        return v is null ? null : v is "true" or "1" ? true : v is "false" or "0" ? false
            : throw new DaemonSettingsException($"invalid boolean value \"{v}\" for {name}");
    }

    /// <summary>berth-runtime (next to berthd, or on PATH), and runc and crun when installed.</summary>
    static Dictionary<string, RuntimeDefinition> DefaultRuntimes()
    {
        var runtimes = new Dictionary<string, RuntimeDefinition>(StringComparer.Ordinal);
        runtimes[EngineOptions.DefaultRuntimeName] = new RuntimeDefinition(EngineOptions.DefaultRuntimeName, FindExecutable("berth-runtime"), []);
        foreach (string name in new[] { "runc", "crun" })
            if (FindOnPath(name) is { } path)
                runtimes[name] = new RuntimeDefinition(name, path, []);
        return runtimes;
    }

    /// <summary>A path as given; a name next to berthd, or on PATH, or (missing) next to berthd.</summary>
    static string FindExecutable(string name)
    {
        if (Path.IsPathRooted(name))
            return name;
        string own = Path.Combine(AppContext.BaseDirectory, name);
        return File.Exists(own) ? own : FindOnPath(name) ?? own;
    }

    /// <summary>dockerd's seccomp-profile: builtin, unconfined, or a file, read (and checked) once at start.</summary>
    static string? ReadSeccompProfile(string profile)
    {
        if (profile is ContainerSeccomp.Builtin or ContainerSeccomp.Unconfined)
            return null;
        string json;
        try
        {
            json = File.ReadAllText(profile);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new DaemonSettingsException($"opening seccomp profile ({profile}) failed: open {profile}: no such file or directory");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DaemonSettingsException($"opening seccomp profile ({profile}) failed: {e.Message}");
        }
        try
        {
            ContainerSeccomp.Validate(json);
        }
        catch (EngineException e)
        {
            throw new DaemonSettingsException(e.Message);
        }
        return json;
    }

    static string? FindOnPath(string name)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin").Split(':'))
        {
            string candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
                return candidate;
        }
        return null;
    }

    /// <summary>dockerd's --default-ulimit: name=soft[:hard].</summary>
    static Ulimit ParseUlimit(string text)
    {
        int eq = text.IndexOf('=');
        if (eq <= 0)
            throw new DaemonSettingsException($"invalid ulimit argument: {text}");
        var limits = text[(eq + 1)..].Split(':');
        if (!long.TryParse(limits[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long soft)
            || (limits.Length > 1 ? !long.TryParse(limits[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long hard) : (hard = soft) != soft))
            throw new DaemonSettingsException($"invalid ulimit argument: {text}");
        if (soft > hard)
            throw new DaemonSettingsException($"ulimit soft limit must be less than or equal to hard limit: {soft} > {hard}");
        return new Ulimit { Name = text[..eq], Soft = soft, Hard = hard };
    }

    static ConfigFile LoadConfigFile(string path, bool required)
    {
        if (!File.Exists(path))
        {
            if (required)
                throw new DaemonSettingsException($"unable to configure the Docker daemon with file {path}: open {path}: no such file or directory");
            return new ConfigFile(null);
        }
        try
        {
            return new ConfigFile(JsonDocument.Parse(File.ReadAllBytes(path)).RootElement.Clone());
        }
        catch (JsonException e)
        {
            throw new DaemonSettingsException($"unable to configure the Docker daemon with file {path}: {e.Message}");
        }
    }

    /// <summary>daemon.json, read by key (no serializer: the keys are dockerd's, with dashes).</summary>
    sealed class ConfigFile(JsonElement? root)
    {
        JsonElement? Get(string key)
            => root is { ValueKind: JsonValueKind.Object } r && r.TryGetProperty(key, out var v) ? v : null;

        public string? GetString(string key) => Get(key) is { ValueKind: JsonValueKind.String } v ? v.GetString() : null;

        public bool? GetBool(string key) => Get(key) is { } v && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : null;

        public List<string>? GetStringList(string key)
            => Get(key) is { ValueKind: JsonValueKind.Array } v ? [.. v.EnumerateArray().Select(e => e.GetString() ?? "")] : null;

        public Dictionary<string, string> GetStringMap(string key)
        {
            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            if (Get(key) is { ValueKind: JsonValueKind.Object } v)
                foreach (var p in v.EnumerateObject())
                    map[p.Name] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText();
            return map;
        }

        public IEnumerable<(string Name, string Path, List<string> Args)> Runtimes()
        {
            if (Get("runtimes") is not { ValueKind: JsonValueKind.Object } v)
                yield break;
            foreach (var p in v.EnumerateObject())
            {
                string path = p.Value.TryGetProperty("path", out var pathValue) ? pathValue.GetString() ?? "" : "";
                if (path.Length == 0)
                    throw new DaemonSettingsException($"runtime {p.Name}: a path is required");
                var args = p.Value.TryGetProperty("runtimeArgs", out var a) && a.ValueKind == JsonValueKind.Array
                    ? a.EnumerateArray().Select(e => e.GetString() ?? "").ToList() : [];
                yield return (p.Name, path, args);
            }
        }

        public Dictionary<string, Ulimit> Ulimits()
        {
            var map = new Dictionary<string, Ulimit>(StringComparer.Ordinal);
            if (Get("default-ulimits") is { ValueKind: JsonValueKind.Object } v)
                foreach (var p in v.EnumerateObject())
                    map[p.Name] = new Ulimit
                    {
                        Name = p.Value.TryGetProperty("Name", out var n) ? n.GetString() ?? p.Name : p.Name,
                        Soft = p.Value.TryGetProperty("Soft", out var s) ? s.GetInt64() : 0,
                        Hard = p.Value.TryGetProperty("Hard", out var h) ? h.GetInt64() : 0,
                    };
            return map;
        }
    }
}
