using Berth.Cli.Client;
using Berth.Cli.CommandLine;
using Berth.Engine.Model;

namespace Berth.Cli.Options;

/// <summary>The translation of the container flags into docker's create request (docker's parse()).</summary>
internal sealed partial class ContainerOptions
{
    /// <summary>
    /// docker's parse(): the create request for <paramref name="image"/> running <paramref name="args"/>. Throws
    /// <see cref="CliException"/> for options that do not fit together, with docker's words.
    /// </summary>
    public ContainerCreateRequest ToRequest(string image, IReadOnlyList<string> args)
    {
        if (UseApiSocket.Value)
            throw new CliException("--use-api-socket is not supported by berth");
        if (Gpus.Value.Count > 0)
            throw new CliException("--gpus is not supported by berth");
        if (Pull.Value is not ("always" or "missing" or "never"))
            throw new CliException($"invalid pull option: '{Pull.Value}': must be one of \"always\", \"missing\" or \"never\"");
        bool attachStdin = Attach.Value.Contains("stdin") || Interactive.Value;
        bool attachStdout = Attach.Value.Contains("stdout");
        bool attachStderr = Attach.Value.Contains("stderr");
        if (Attach.Value.Count == 0)
        {
            attachStdout = true;
            attachStderr = true;
        }
        if (Hostname.Value.Length > 64)
            throw new CliException($"invalid hostname: {Hostname.Value}: must be less than 64 characters");
        if (Cgroupns.Value is not ("" or "host" or "private"))
            throw new CliException("--cgroupns: invalid CGROUP mode");
        if (StopTimeout.Changed && StopTimeout.Value is < int.MinValue or > int.MaxValue)
            throw new CliException("--stop-timeout: value out of range");

        var binds = new List<string>();
        var anonymous = new Dictionary<string, EmptyObject>(StringComparer.Ordinal);
        foreach (var spec in Volumes.Value)
        {
            var (bind, volume) = ContainerOptionParsers.Volume(spec);
            if (bind is not null)
                binds.Add(bind);
            else
                anonymous[volume!] = new EmptyObject();
        }
        var tmpfs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var t in Tmpfs.Value)
        {
            var (path, opts) = ContainerOptionParsers.Tmpfs(t);
            tmpfs[path] = opts;
        }

        if (MacAddress.Value.Length > 0)
            ValidateMac(MacAddress.Value);
        var (exposed, bindings) = ParsePublish(Publish.Value);
        foreach (var spec in Expose.Value)
            AddExposed(exposed, spec);

        var env = new List<string>();
        foreach (var file in EnvFile.Value)
            env.AddRange(KeyValueOptions.ReadFile(file, _environment));
        env.AddRange(Env.Value);
        var labels = new List<string>();
        foreach (var file in LabelFile.Value)
            labels.AddRange(KeyValueOptions.ReadFile(file, null));
        labels.AddRange(Labels.Value);

        List<string>? entrypoint = null;
        if (Entrypoint.Value.Length > 0)
            entrypoint = [Entrypoint.Value];
        else if (Entrypoint.Changed)
            entrypoint = [""];

        var request = new ContainerCreateRequest
        {
            Hostname = Hostname.Value,
            Domainname = Domainname.Value,
            ExposedPorts = exposed.Count > 0 ? new Dictionary<string, EmptyObject>(exposed, StringComparer.Ordinal) : null,
            User = User.Value,
            Tty = Tty.Value,
            OpenStdin = Interactive.Value,
            AttachStdin = attachStdin,
            AttachStdout = attachStdout,
            AttachStderr = attachStderr,
            Env = env.Count > 0 ? env : null,
            Cmd = args.Count > 0 ? [.. args] : null,
            Image = image,
            Volumes = anonymous,
            Entrypoint = entrypoint,
            WorkingDir = Workdir.Value,
            Labels = KeyValueOptions.ToMap(labels),
            StopSignal = StopSignal.Value.Length > 0 ? StopSignal.Value : null,
            Healthcheck = Health(),
        };
        if (StopTimeout.Changed)
            request.StopTimeout = (int)StopTimeout.Value;
        if (request.OpenStdin && request.AttachStdin)
            request.StdinOnce = true;

        var restart = ContainerOptionParsers.RestartPolicy(Restart.Value);
        if (AutoRemove.Value && restart.Name is not ("" or "no"))
            throw new CliException("Conflicting options: --restart and --rm");
        var (capAdd, capDrop) = ContainerOptionParsers.Capabilities(CapAdd.Value, CapDrop.Value);
        var securityOpts = ContainerOptionParsers.SecurityOpts(SecurityOpt.Value);
        string networkMode = Network.Value.Count > 0 ? Network.Value[0].Target : "default";
        var host = new HostConfig
        {
            Binds = binds.Count > 0 ? binds : null,
            ContainerIDFile = CidFile.Value,
            OomScoreAdj = (int)OomScoreAdj.Value,
            AutoRemove = AutoRemove.Value,
            Privileged = Privileged.Value,
            PortBindings = new Dictionary<string, List<PortBinding>?>(bindings, StringComparer.Ordinal),
            Links = Links.Value.Count > 0 ? Links.Value : null,
            PublishAllPorts = PublishAll.Value,
            Dns = Dns.Value,
            DnsSearch = DnsSearch.Value,
            DnsOptions = DnsOptions.Value,
            ExtraHosts = AddHost.Value.Count > 0 ? AddHost.Value : null,
            VolumesFrom = VolumesFrom.Value.Count > 0 ? VolumesFrom.Value : null,
            IpcMode = Ipc.Value,
            NetworkMode = networkMode,
            PidMode = Pid.Value,
            UTSMode = Uts.Value,
            UsernsMode = Userns.Value,
            CgroupnsMode = Cgroupns.Value,
            CapAdd = capAdd,
            CapDrop = capDrop,
            GroupAdd = GroupAdd.Value.Count > 0 ? GroupAdd.Value : null,
            RestartPolicy = restart,
            SecurityOpt = securityOpts.Count > 0 ? securityOpts : null,
            StorageOpt = StorageOpt.Value.Count > 0 ? KeyValueOptions.ToMap(StorageOpt.Value) : null,
            ReadonlyRootfs = ReadOnly.Value,
            LogConfig = new LogConfig { Type = LogDriver.Value, Config = KeyValueOptions.ToMap(LogOpts.Value) },
            VolumeDriver = VolumeDriver.Value,
            Isolation = Isolation.Value,
            ShmSize = ShmSize.Value,
            Tmpfs = tmpfs.Count > 0 ? tmpfs : null,
            Sysctls = Sysctls.Value.Count > 0 ? Sysctls.Value : null,
            Runtime = Runtime.Value.Length > 0 ? Runtime.Value : null,
            Mounts = Mounts.Value.Count > 0 ? Mounts.Value : null,
            Annotations = Annotations.Value.Count > 0 ? Annotations.Value : null,
            // Resources
            CgroupParent = CgroupParent.Value,
            Memory = Memory.Value,
            MemoryReservation = MemoryReservation.Value,
            MemorySwap = MemorySwap.Value,
            MemorySwappiness = MemorySwappiness.Value,
            KernelMemory = KernelMemory.Value,
            OomKillDisable = OomKillDisable.Value,
            NanoCpus = Cpus.Value,
            CpuCount = CpuCount.Value,
            CpuPercent = CpuPercent.Value,
            CpuShares = CpuShares.Value,
            CpuPeriod = CpuPeriod.Value,
            CpusetCpus = CpusetCpus.Value,
            CpusetMems = CpusetMems.Value,
            CpuQuota = CpuQuota.Value,
            CpuRealtimePeriod = CpuRtPeriod.Value,
            CpuRealtimeRuntime = CpuRtRuntime.Value,
            BlkioWeight = (ushort)BlkioWeight.Value,
            BlkioWeightDevice = BlkioWeightDevice.Value,
            BlkioDeviceReadBps = DeviceReadBps.Value,
            BlkioDeviceWriteBps = DeviceWriteBps.Value,
            BlkioDeviceReadIOps = DeviceReadIops.Value,
            BlkioDeviceWriteIOps = DeviceWriteIops.Value,
            IOMaximumIOps = IoMaxIops.Value,
            IOMaximumBandwidth = (ulong)IoMaxBandwidth.Value,
            Ulimits = Ulimits.Value,
            DeviceCgroupRules = DeviceCgroupRules.Value.Count > 0 ? DeviceCgroupRules.Value : null,
            Devices = Devices.Value.Select(ContainerOptionParsers.Device).ToList(),
        };
        // docker sends the flag's value even when it was not given (0: the daemon's default).
        host.PidsLimit = PidsLimit.Value;
        if (Init.Changed)
            host.Init = Init.Value;
        request.HostConfig = host;
        request.NetworkingConfig = new NetworkingConfig { EndpointsConfig = Endpoints() };
        return request;
    }

    /// <summary>docker's healthcheck flags (opts.go): a flag given as zero counts as not given.</summary>
    HealthConfig? Health()
    {
        bool anyHealth = HealthCmd.Value.Length > 0 || HealthInterval.Value != 0 || HealthTimeout.Value != 0 || HealthStartPeriod.Value != 0
            || HealthRetries.Value != 0 || HealthStartInterval.Value != 0;
        if (NoHealthcheck.Value)
        {
            if (anyHealth)
                throw new CliException("--no-healthcheck conflicts with --health-* options");
            return new HealthConfig { Test = ["NONE"] };
        }
        if (!anyHealth)
            return null;
        foreach (var (flag, value) in new[] { ("interval", HealthInterval.Value), ("timeout", HealthTimeout.Value), ("retries", HealthRetries.Value), ("start-period", HealthStartPeriod.Value), ("start-interval", HealthStartInterval.Value) })
            if (value < 0)
                throw new CliException($"--health-{flag} cannot be negative");
        return new HealthConfig
        {
            Test = HealthCmd.Value.Length > 0 ? ["CMD-SHELL", HealthCmd.Value] : null,
            Interval = HealthInterval.Value,
            Timeout = HealthTimeout.Value,
            StartPeriod = HealthStartPeriod.Value,
            StartInterval = HealthStartInterval.Value,
            Retries = (int)HealthRetries.Value,
        };
    }
}
