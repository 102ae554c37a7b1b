using System.Runtime.InteropServices;
using Berth.Http;
using Berth.Api.Views;
using Berth.Engine;
using Berth.Engine.Containers;
using Berth.Engine.Model;
using Berth.Engine.Runtimes;

namespace Berth.Api.Endpoints;

/// <summary><c>/_ping</c>, <c>/version</c>, <c>/info</c>.</summary>
public static class SystemEndpoints
{
    public static void Map(Router router, BerthEngine engine)
    {
        router.Map("GET", "/_ping", Ping);
        router.Map("HEAD", "/_ping", Ping);
        router.Map("GET", "/version", ctx => Respond.Json(ctx, Version(engine), DockerJson.Default.SystemVersion));
        router.Map("GET", "/info", ctx => Respond.Json(ctx, Info(engine), DockerJson.Default.SystemInfo));
        router.Map("GET", "/system/df", ctx =>
        {
            var types = ctx.Request.Query.GetAll("type");
            foreach (string type in types)
            {
                if (type is not ("container" or "image" or "volume" or "build-cache"))
                    throw new BadRequestException($"unknown object type: {type}");
            }
            return Respond.Json(ctx, DiskUsageViews.Of(engine, types), DockerJson.Default.SystemDataUsage);
        });
    }

    /// <summary>
    /// The headers matter more than the body: without Api-Version the docker CLI silently falls
    /// back to API 1.24.
    /// </summary>
    static Task Ping(HttpContext context)
    {
        var response = context.Response;
        response.SetHeader("Cache-Control", "no-cache, no-store, must-revalidate");
        response.SetHeader("Pragma", "no-cache");
        response.SetHeader("Builder-Version", "1");
        response.SetHeader("Swarm", "inactive");
        return Respond.Text(context, "OK");
    }

    public static SystemVersion Version(BerthEngine engine)
    {
        string kernel = KernelVersion();
        string commit = ApiVersion.GitCommit.Length == 0 ? "unknown" : ApiVersion.GitCommit;
        string runtimePath = engine.Options.Runtimes[engine.Options.DefaultRuntime].Path;
        var runtime = ToolVersions.Runtime(runtimePath);
        var init = ToolVersions.Init(engine.Options.InitPath);
        return new SystemVersion
        {
            Platform = new SystemVersionPlatform { Name = "Berth Engine" },
            Components =
            [
                new ComponentVersion
                {
                    Name = "Engine",
                    Version = ApiVersion.EngineVersion,
                    Details = new Dictionary<string, string>
                    {
                        ["ApiVersion"] = ApiVersion.Current,
                        ["Arch"] = GoArch(),
                        ["BuildTime"] = "",
                        ["Experimental"] = "false",
                        ["GitCommit"] = commit,
                        ["GoVersion"] = "dotnet" + Environment.Version,
                        ["KernelVersion"] = kernel,
                        ["MinAPIVersion"] = ApiVersion.Minimum,
                        ["Os"] = "linux",
                    },
                },
                new ComponentVersion { Name = "berth", Version = ApiVersion.BerthVersion, Details = new Dictionary<string, string> { ["GitCommit"] = commit } },
                // dockerd's runc and docker-init entries: what the default runtime and the init binary say of themselves.
                .. runtime is null ? [] : new[] { Component(Path.GetFileName(runtimePath), runtime) },
                .. init is null ? [] : new[] { Component(Path.GetFileName(engine.Options.InitPath), init) },
            ],
            Version = ApiVersion.EngineVersion,
            ApiVersion = ApiVersion.Current,
            MinAPIVersion = ApiVersion.Minimum,
            GitCommit = commit,
            GoVersion = "dotnet" + Environment.Version,
            Os = "linux",
            Arch = GoArch(),
            KernelVersion = kernel,
            BuildTime = "",
        };
    }

    static ComponentVersion Component(string name, ToolVersion version)
        => new() { Name = name, Version = version.Version, Details = new Dictionary<string, string> { ["GitCommit"] = version.Commit } };

    public static SystemInfo Info(BerthEngine engine)
    {
        var containers = engine.Containers.Store.All();
        int running = containers.Count(c => c.Record.State.Status == ContainerStatus.Running);
        int paused = containers.Count(c => c.Record.State.Status == ContainerStatus.Paused);
        bool v2 = File.Exists("/sys/fs/cgroup/cgroup.controllers");
        return new SystemInfo
        {
            ID = MachineId(engine),
            Containers = containers.Count,
            ContainersRunning = running,
            ContainersPaused = paused,
            ContainersStopped = containers.Count - running - paused,
            Images = engine.Images.List().Count,
            Driver = engine.Images.Snapshotter.Name,
            DriverStatus = [["Backing Filesystem", "extfs"]],
            Plugins = new PluginsInfo { Volume = ["local"], Network = ["host", "none"], Log = ["json-file", "local", "none"] },
            MemoryLimit = true,
            SwapLimit = true,
            CpuCfsPeriod = true,
            CpuCfsQuota = true,
            CPUShares = true,
            CPUSet = true,
            PidsLimit = true,
            IPv4Forwarding = File.Exists("/proc/sys/net/ipv4/ip_forward") && File.ReadAllText("/proc/sys/net/ipv4/ip_forward").Trim() == "1",
            Debug = false,
            NFd = Directory.Exists("/proc/self/fd") ? Directory.GetFiles("/proc/self/fd").Length : 0,
            OomKillDisable = !v2,
            NGoroutines = System.Diagnostics.Process.GetCurrentProcess().Threads.Count,
            SystemTime = DateTimeOffset.Now.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffffzzz", System.Globalization.CultureInfo.InvariantCulture),
            LoggingDriver = engine.Options.DefaultLogConfig.Type,
            CgroupDriver = "cgroupfs",
            CgroupVersion = v2 ? "2" : "1",
            NEventsListener = engine.Events.SubscriberCount,
            KernelVersion = KernelVersion(),
            OperatingSystem = OsRelease("PRETTY_NAME") ?? "Linux",
            OSVersion = OsRelease("VERSION_ID") ?? "",
            OSType = "linux",
            Architecture = RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "aarch64" : "x86_64",
            IndexServerAddress = "https://index.docker.io/v1/",
            RegistryConfig = Engine.Registry.RegistryInfo.Describe(engine.Options),
            NCPU = Environment.ProcessorCount,
            MemTotal = MemTotal(),
            DockerRootDir = engine.Options.DataRoot,
            Name = engine.Options.Name,
            Labels = [],
            ExperimentalBuild = false,
            ServerVersion = ApiVersion.EngineVersion,
            Runtimes = engine.Options.Runtimes.ToDictionary(r => r.Key, r => new RuntimeInfo { Path = r.Value.Path, Args = r.Value.Args.Count == 0 ? null : [.. r.Value.Args] }),
            DefaultRuntime = engine.Options.DefaultRuntime,
            Swarm = new SwarmInfo { LocalNodeState = "inactive", NodeID = "", NodeAddr = "", ControlAvailable = false, Error = "", RemoteManagers = null },
            LiveRestoreEnabled = engine.Options.LiveRestore,
            Isolation = "",
            InitBinary = engine.Options.InitPath,
            ContainerdCommit = new Commit { ID = "" },
            RuncCommit = new Commit { ID = ToolVersions.Runtime(engine.Options.Runtimes[engine.Options.DefaultRuntime].Path)?.Commit ?? "" },
            InitCommit = new Commit { ID = ToolVersions.Init(engine.Options.InitPath)?.Commit ?? "" },
            SecurityOptions = v2 ? [SeccompOption(engine), "name=cgroupns"] : [SeccompOption(engine)],
            Warnings = engine.Options.SeccompProfile == Engine.Security.ContainerSeccomp.Builtin ? [] : ["WARNING: daemon is not using the default seccomp profile"],
        };
    }

    static string SeccompOption(BerthEngine engine) => "name=seccomp,profile=" + engine.Options.SeccompProfile;

    static string MachineId(BerthEngine engine)
    {
        string file = Path.Combine(engine.Options.DataRoot, "engine-id");
        if (!File.Exists(file))
            File.WriteAllText(file, Guid.NewGuid().ToString());
        return File.ReadAllText(file).Trim();
    }

    static string GoArch() => RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "arm64" : "amd64";

    static string KernelVersion() => File.Exists("/proc/sys/kernel/osrelease") ? File.ReadAllText("/proc/sys/kernel/osrelease").Trim() : "";

    static long MemTotal()
    {
        foreach (string line in File.ReadLines("/proc/meminfo"))
            if (line.StartsWith("MemTotal:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
        return 0;
    }

    static string? OsRelease(string key)
    {
        const string file = "/etc/os-release";
        if (!File.Exists(file))
            return null;
        foreach (string line in File.ReadLines(file))
            if (line.StartsWith(key + "=", StringComparison.Ordinal))
                return line[(key.Length + 1)..].Trim('"');
        return null;
    }
}
