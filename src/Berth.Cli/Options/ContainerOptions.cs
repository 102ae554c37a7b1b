using Berth.Cli.Client;
using Berth.Cli.CommandLine;
using Berth.Cli.Output;
using Berth.Engine;
using Berth.Engine.Model;

namespace Berth.Cli.Options;

/// <summary>
/// The container flags of "run" and "create" (docker's ContainerOptions, cli/command/container/opts.go) and their
/// translation into the create request: Config, HostConfig and NetworkingConfig as docker sends them.
/// </summary>
internal sealed partial class ContainerOptions
{
    readonly FlagSet _flags;
    readonly IReadOnlyDictionary<string, string?> _environment;

    /// <param name="forCreate">"create" words the --pull flag as docker's create does.</param>
    public ContainerOptions(FlagSet flags, IReadOnlyDictionary<string, string?> environment, bool forCreate = false)
    {
        _flags = flags;
        _environment = environment;
        AddHost = flags.List("add-host", null, "Add a custom host-to-IP mapping (host:ip)", ContainerOptionParsers.ExtraHost);
        Annotations = MapFlag("annotation", "Add an annotation to the container (passed through to the OCI runtime)");
        Attach = flags.List("attach", 'a', "Attach to STDIN, STDOUT or STDERR", ContainerOptionParsers.Attach);
        BlkioWeight = flags.Uint("blkio-weight", null, "uint16", 16, "Block IO (relative weight), between 10 and 1000, or 0 to disable", "0");
        BlkioWeightDevice = ListOf("blkio-weight-device", "Block IO weight (relative device weight)", ContainerOptionParsers.WeightDevice);
        CapAdd = flags.List("cap-add", null, "Add Linux capabilities");
        CapDrop = flags.List("cap-drop", null, "Drop Linux capabilities");
        CgroupParent = flags.String("cgroup-parent", null, "", "Optional parent cgroup for the container");
        Cgroupns = flags.String("cgroupns", null, "", "Cgroup namespace to use (host|private)\n"
            + "'host':    Run the container in the Docker host's cgroup namespace\n"
            + "'private': Run the container in its own private cgroup namespace\n"
            + "'':        Use the cgroup namespace as configured by the\n"
            + "           default-cgroupns-mode option on the daemon (default)");
        CidFile = flags.String("cidfile", null, "", "Write the container ID to the file");
        CpuCount = flags.Int("cpu-count", null, 0, "CPU count (Windows only)");
        CpuPercent = flags.Int("cpu-percent", null, 0, "CPU percent (Windows only)");
        CpuPeriod = flags.Int("cpu-period", null, 0, "Limit CPU CFS (Completely Fair Scheduler) period");
        CpuQuota = flags.Int("cpu-quota", null, 0, "Limit CPU CFS (Completely Fair Scheduler) quota");
        CpuRtPeriod = flags.Int("cpu-rt-period", null, 0, "Limit CPU real-time period in microseconds");
        CpuRtRuntime = flags.Int("cpu-rt-runtime", null, 0, "Limit CPU real-time runtime in microseconds");
        CpuShares = flags.Int("cpu-shares", 'c', 0, "CPU shares (relative weight)");
        Cpus = flags.Value("cpus", null, "decimal", 0L, ContainerOptionParsers.NanoCpus, "Number of CPUs");
        CpusetCpus = flags.String("cpuset-cpus", null, "", "CPUs in which to allow execution (0-3, 0,1)");
        CpusetMems = flags.String("cpuset-mems", null, "", "MEMs in which to allow execution (0-3, 0,1)");
        Devices = flags.List("device", null, "Add a host device to the container");
        DeviceCgroupRules = flags.List("device-cgroup-rule", null, "Add a rule to the cgroup allowed devices list");
        DeviceReadBps = ListOf("device-read-bps", "Limit read rate (bytes per second) from a device", ContainerOptionParsers.ThrottleBps);
        DeviceReadIops = ListOf("device-read-iops", "Limit read rate (IO per second) from a device", ContainerOptionParsers.ThrottleIops);
        DeviceWriteBps = ListOf("device-write-bps", "Limit write rate (bytes per second) to a device", ContainerOptionParsers.ThrottleBps);
        DeviceWriteIops = ListOf("device-write-iops", "Limit write rate (IO per second) to a device", ContainerOptionParsers.ThrottleIops);
        flags.Bool("disable-content-trust", null, true, "Skip image verification");
        Dns = flags.List("dns", null, "Set custom DNS servers", ContainerOptionParsers.IpAddress);
        DnsOptions = flags.List("dns-option", null, "Set DNS options");
        DnsSearch = flags.List("dns-search", null, "Set custom DNS search domains");
        Domainname = flags.String("domainname", null, "", "Container NIS domain name");
        Entrypoint = flags.String("entrypoint", null, "", "Overwrite the default ENTRYPOINT of the image");
        Env = flags.List("env", 'e', "Set environment variables", v => KeyValueOptions.ValidateEnv(v, environment));
        EnvFile = flags.List("env-file", null, "Read in a file of environment variables");
        Expose = flags.List("expose", null, "Expose a port or a range of ports");
        Gpus = flags.List("gpus", null, "GPU devices to add to the container ('all' to pass all GPUs)", typeName: "gpu-request");
        GroupAdd = flags.List("group-add", null, "Add additional groups to join");
        HealthCmd = flags.String("health-cmd", null, "", "Command to run to check health");
        HealthInterval = DurationFlag("health-interval", "Time between running the check (ms|s|m|h)");
        HealthRetries = flags.Int("health-retries", null, 0, "Consecutive failures needed to report unhealthy");
        HealthStartInterval = DurationFlag("health-start-interval", "Time between running the check during the start period (ms|s|m|h)");
        HealthStartPeriod = DurationFlag("health-start-period", "Start period for the container to initialize before starting health-retries countdown (ms|s|m|h)");
        HealthTimeout = DurationFlag("health-timeout", "Maximum time to allow one check to run (ms|s|m|h)");
        flags.Bool("help", null, false, "Print usage");
        Hostname = flags.String("hostname", 'h', "", "Container host name");
        Init = flags.Bool("init", null, false, "Run an init inside the container that forwards signals and reaps processes");
        Interactive = flags.Bool("interactive", 'i', false, "Keep STDIN open even if not attached");
        IoMaxBandwidth = flags.Value("io-maxbandwidth", null, "bytes", 0L, HumanUnits.RamInBytes, "Maximum IO bandwidth limit for the system drive (Windows only)");
        IoMaxIops = flags.Uint("io-maxiops", null, "uint", 64, "Maximum IOps limit for the system drive (Windows only)");
        Ip = flags.String("ip", null, "", "IPv4 address (e.g., 172.30.100.104)");
        Ip6 = flags.String("ip6", null, "", "IPv6 address (e.g., 2001:db8::33)");
        Ipc = flags.String("ipc", null, "", "IPC mode to use");
        Isolation = flags.String("isolation", null, "", "Container isolation technology");
        KernelMemory = flags.Value("kernel-memory", null, "bytes", 0L, HumanUnits.RamInBytes, "Kernel memory limit");
        Labels = flags.List("label", 'l', "Set meta data on a container");
        LabelFile = flags.List("label-file", null, "Read in a line delimited file of labels");
        Links = flags.List("link", null, "Add link to another container");
        LinkLocalIps = flags.List("link-local-ip", null, "Container IPv4/IPv6 link-local addresses");
        LogDriver = flags.String("log-driver", null, "", "Logging driver for the container");
        LogOpts = flags.List("log-opt", null, "Log driver options", v => KeyValueOptions.RequireKeyValue(v, "log opt"));
        MacAddress = flags.String("mac-address", null, "", "Container MAC address (e.g., 92:d0:c6:0a:29:33)");
        Memory = flags.Value("memory", 'm', "bytes", 0L, HumanUnits.RamInBytes, "Memory limit");
        MemoryReservation = flags.Value("memory-reservation", null, "bytes", 0L, HumanUnits.RamInBytes, "Memory soft limit");
        MemorySwap = flags.Value("memory-swap", null, "bytes", 0L, ContainerOptionParsers.MemorySwap, "Swap limit equal to memory plus swap: '-1' to enable unlimited swap");
        MemorySwappiness = flags.Int("memory-swappiness", null, -1, "Tune container memory swappiness (0 to 100)");
        Mounts = ListOf("mount", "Attach a filesystem mount to the container", ContainerOptionParsers.Mount, "mount", null);
        Name = flags.String("name", null, "", "Assign a name to the container");
        Network = ListOf("network", "Connect a container to a network", NetworkAttachment.Parse, "network", null);
        NetworkAliases = flags.List("network-alias", null, "Add network-scoped alias for the container");
        NoHealthcheck = flags.Bool("no-healthcheck", null, false, "Disable any container-specified HEALTHCHECK");
        OomKillDisable = flags.Bool("oom-kill-disable", null, false, "Disable OOM Killer");
        OomScoreAdj = flags.Int("oom-score-adj", null, 0, "Tune host's OOM preferences (-1000 to 1000)");
        Pid = flags.String("pid", null, "", "PID namespace to use");
        PidsLimit = flags.Int("pids-limit", null, 0, "Tune container pids limit (set -1 for unlimited)");
        Platform = flags.String("platform", null, environment.TryGetValue("DOCKER_DEFAULT_PLATFORM", out var p) && p is not null ? p : "", "Set platform if server is multi-platform capable");
        Privileged = flags.Bool("privileged", null, false, "Give extended privileges to this container");
        Publish = flags.List("publish", 'p', "Publish a container's port(s) to the host");
        PublishAll = flags.Bool("publish-all", 'P', false, "Publish all exposed ports to random ports");
        Pull = flags.String("pull", null, "missing", forCreate
            ? "Pull image before creating (\"always\", \"|missing\", \"never\")" // docker's text, stray bar included
            : "Pull image before running (\"always\", \"missing\", \"never\")");
        Quiet = flags.Bool("quiet", 'q', false, "Suppress the pull output");
        ReadOnly = flags.Bool("read-only", null, false, "Mount the container's root filesystem as read only");
        Restart = flags.String("restart", null, "no", "Restart policy to apply when a container exits");
        AutoRemove = flags.Bool("rm", null, false, "Automatically remove the container and its associated anonymous volumes when it exits");
        Runtime = flags.String("runtime", null, "", "Runtime to use for this container");
        SecurityOpt = flags.List("security-opt", null, "Security Options");
        ShmSize = flags.Value("shm-size", null, "bytes", 0L, HumanUnits.RamInBytes, "Size of /dev/shm");
        StopSignal = flags.String("stop-signal", null, "", "Signal to stop the container");
        StopTimeout = flags.Int("stop-timeout", null, 0, "Timeout (in seconds) to stop a container");
        StorageOpt = flags.List("storage-opt", null, "Storage driver options for the container");
        Sysctls = MapFlag("sysctl", "Sysctl options");
        Tmpfs = flags.List("tmpfs", null, "Mount a tmpfs directory");
        Tty = flags.Bool("tty", 't', false, "Allocate a pseudo-TTY");
        Ulimits = ListOf("ulimit", "Ulimit options", ContainerOptionParsers.Ulimit, "ulimit", "[]");
        UseApiSocket = flags.Bool("use-api-socket", null, false, "Bind mount Docker API socket and required auth");
        User = flags.String("user", 'u', "", "Username or UID (format: <name|uid>[:<group|gid>])");
        Userns = flags.String("userns", null, "", "User namespace to use");
        Uts = flags.String("uts", null, "", "UTS namespace to use");
        Volumes = flags.List("volume", 'v', "Bind mount a volume");
        VolumeDriver = flags.String("volume-driver", null, "", "Optional volume driver for the container");
        VolumesFrom = flags.List("volumes-from", null, "Mount volumes from the specified container(s)");
        Workdir = flags.String("workdir", 'w', "", "Working directory inside the container");
    }

    FlagRef<List<T>> ListOf<T>(string name, string usage, Func<string, T> parse, string typeName = "list", string? shownDefault = "[]")
    {
        var r = new FlagRef<List<T>>([]);
        r.Flag = _flags.Custom(name, null, typeName, v => r.Value.Add(parse(v)), usage, shownDefault);
        return r;
    }

    FlagRef<Dictionary<string, string>> MapFlag(string name, string usage)
    {
        var r = new FlagRef<Dictionary<string, string>>(new Dictionary<string, string>(StringComparer.Ordinal));
        r.Flag = _flags.Custom(name, null, "map", v =>
        {
            int eq = v.IndexOf('=');
            if (eq < 0)
                r.Value[v] = "";
            else
                r.Value[v[..eq]] = v[(eq + 1)..];
        }, usage, "map[]");
        return r;
    }

    FlagRef<long> DurationFlag(string name, string usage) => _flags.Value(name, null, "duration", 0L, v =>
    {
        // A negative duration parses; Health() refuses it with docker's words for each flag.
        if (!GoDuration.TryParse(v, out var d))
            throw new FlagValueException($"time: invalid duration {GoStrconv.GoQuote(v)}");
        return d.Ticks * 100;
    }, usage, "0s");

    public FlagRef<List<string>> AddHost { get; }
    public FlagRef<Dictionary<string, string>> Annotations { get; }
    public FlagRef<List<string>> Attach { get; }
    public FlagRef<ulong> BlkioWeight { get; }
    public FlagRef<List<WeightDevice>> BlkioWeightDevice { get; }
    public FlagRef<List<string>> CapAdd { get; }
    public FlagRef<List<string>> CapDrop { get; }
    public FlagRef<string> CgroupParent { get; }
    public FlagRef<string> Cgroupns { get; }
    public FlagRef<string> CidFile { get; }
    public FlagRef<long> CpuCount { get; }
    public FlagRef<long> CpuPercent { get; }
    public FlagRef<long> CpuPeriod { get; }
    public FlagRef<long> CpuQuota { get; }
    public FlagRef<long> CpuRtPeriod { get; }
    public FlagRef<long> CpuRtRuntime { get; }
    public FlagRef<long> CpuShares { get; }
    public FlagRef<long> Cpus { get; }
    public FlagRef<string> CpusetCpus { get; }
    public FlagRef<string> CpusetMems { get; }
    public FlagRef<List<string>> Devices { get; }
    public FlagRef<List<string>> DeviceCgroupRules { get; }
    public FlagRef<List<ThrottleDevice>> DeviceReadBps { get; }
    public FlagRef<List<ThrottleDevice>> DeviceReadIops { get; }
    public FlagRef<List<ThrottleDevice>> DeviceWriteBps { get; }
    public FlagRef<List<ThrottleDevice>> DeviceWriteIops { get; }
    public FlagRef<List<string>> Dns { get; }
    public FlagRef<List<string>> DnsOptions { get; }
    public FlagRef<List<string>> DnsSearch { get; }
    public FlagRef<string> Domainname { get; }
    public FlagRef<string> Entrypoint { get; }
    public FlagRef<List<string>> Env { get; }
    public FlagRef<List<string>> EnvFile { get; }
    public FlagRef<List<string>> Expose { get; }
    public FlagRef<List<string>> Gpus { get; }
    public FlagRef<List<string>> GroupAdd { get; }
    public FlagRef<string> HealthCmd { get; }
    public FlagRef<long> HealthInterval { get; }
    public FlagRef<long> HealthRetries { get; }
    public FlagRef<long> HealthStartInterval { get; }
    public FlagRef<long> HealthStartPeriod { get; }
    public FlagRef<long> HealthTimeout { get; }
    public FlagRef<string> Hostname { get; }
    public FlagRef<bool> Init { get; }
    public FlagRef<bool> Interactive { get; }
    public FlagRef<long> IoMaxBandwidth { get; }
    public FlagRef<ulong> IoMaxIops { get; }
    public FlagRef<string> Ip { get; }
    public FlagRef<string> Ip6 { get; }
    public FlagRef<string> Ipc { get; }
    public FlagRef<string> Isolation { get; }
    public FlagRef<long> KernelMemory { get; }
    public FlagRef<List<string>> Labels { get; }
    public FlagRef<List<string>> LabelFile { get; }
    public FlagRef<List<string>> Links { get; }
    public FlagRef<List<string>> LinkLocalIps { get; }
    public FlagRef<string> LogDriver { get; }
    public FlagRef<List<string>> LogOpts { get; }
    public FlagRef<string> MacAddress { get; }
    public FlagRef<long> Memory { get; }
    public FlagRef<long> MemoryReservation { get; }
    public FlagRef<long> MemorySwap { get; }
    public FlagRef<long> MemorySwappiness { get; }
    public FlagRef<List<ContainerMount>> Mounts { get; }
    public FlagRef<string> Name { get; }
    public FlagRef<List<NetworkAttachment>> Network { get; }
    public FlagRef<List<string>> NetworkAliases { get; }
    public FlagRef<bool> NoHealthcheck { get; }
    public FlagRef<bool> OomKillDisable { get; }
    public FlagRef<long> OomScoreAdj { get; }
    public FlagRef<string> Pid { get; }
    public FlagRef<long> PidsLimit { get; }
    public FlagRef<string> Platform { get; }
    public FlagRef<bool> Privileged { get; }
    public FlagRef<List<string>> Publish { get; }
    public FlagRef<bool> PublishAll { get; }
    public FlagRef<string> Pull { get; }
    public FlagRef<bool> Quiet { get; }
    public FlagRef<bool> ReadOnly { get; }
    public FlagRef<string> Restart { get; }
    public FlagRef<bool> AutoRemove { get; }
    public FlagRef<string> Runtime { get; }
    public FlagRef<List<string>> SecurityOpt { get; }
    public FlagRef<long> ShmSize { get; }
    public FlagRef<string> StopSignal { get; }
    public FlagRef<long> StopTimeout { get; }
    public FlagRef<List<string>> StorageOpt { get; }
    public FlagRef<Dictionary<string, string>> Sysctls { get; }
    public FlagRef<List<string>> Tmpfs { get; }
    public FlagRef<bool> Tty { get; }
    public FlagRef<List<Ulimit>> Ulimits { get; }
    public FlagRef<bool> UseApiSocket { get; }
    public FlagRef<string> User { get; }
    public FlagRef<string> Userns { get; }
    public FlagRef<string> Uts { get; }
    public FlagRef<List<string>> Volumes { get; }
    public FlagRef<string> VolumeDriver { get; }
    public FlagRef<List<string>> VolumesFrom { get; }
    public FlagRef<string> Workdir { get; }
}
