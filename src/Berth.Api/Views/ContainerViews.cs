using Berth.Engine;
using Berth.Engine.Containers;
using Berth.Engine.Health;
using Berth.Engine.Model;

namespace Berth.Api.Views;

/// <summary>A container as Docker's inspect and list show it.</summary>
public static class ContainerViews
{
    public static ContainerInspect Inspect(BerthEngine engine, Container container)
    {
        var r = container.Record;
        var s = r.State;
        return new ContainerInspect
        {
            Id = r.Id,
            Created = GoTimes.Format(r.Created),
            Path = r.Path,
            Args = r.Args,
            State = new ContainerState
            {
                Status = s.Status,
                Running = s.Running && s.Status != ContainerStatus.Restarting || s.Status == ContainerStatus.Paused,
                Paused = s.Status == ContainerStatus.Paused,
                Restarting = s.Status == ContainerStatus.Restarting,
                OOMKilled = s.OomKilled,
                Dead = s.Status == ContainerStatus.Dead,
                Pid = s.Pid,
                ExitCode = s.ExitCode,
                Error = s.Error,
                StartedAt = GoTimes.Format(s.StartedAt),
                FinishedAt = GoTimes.Format(s.FinishedAt),
                // Docker's inspect copies the log: [] before the first result, never null.
                Health = s.Health is { } health ? new Health { Status = health.Status, FailingStreak = health.FailingStreak, Log = [.. health.Log ?? []] } : null,
            },
            Image = r.ImageId,
            ResolvConfPath = ContainerFiles.ResolvConfPath(container),
            HostnamePath = ContainerFiles.HostnamePath(container),
            HostsPath = ContainerFiles.HostsPath(container),
            LogPath = r.LogPath,
            Name = r.Name,
            RestartCount = r.RestartCount,
            Driver = r.Driver,
            Platform = "linux",
            MountLabel = "",
            ProcessLabel = "",
            AppArmorProfile = "",
            ExecIDs = r.ExecIds.Count == 0 ? null : [.. r.ExecIds],
            HostConfig = r.HostConfig,
            GraphDriver = GraphDriver(engine, container),
            Mounts = Engine.Volumes.VolumeViews.MountsOf(r),
            Config = r.Config,
            NetworkSettings = NetworkSettings(engine, r),
        };
    }

    static GraphDriverData GraphDriver(BerthEngine engine, Container container)
    {
        var data = new Dictionary<string, string>();
        try
        {
            var mounts = engine.Images.Snapshotter.Mounts(container.Id);
            foreach (var option in mounts.SelectMany(m => m.Options))
            {
                int eq = option.IndexOf('=');
                if (eq > 0 && option[..eq] is "lowerdir" or "upperdir" or "workdir")
                    data[option[..eq] switch { "lowerdir" => "LowerDir", "upperdir" => "UpperDir", _ => "WorkDir" }] = option[(eq + 1)..];
            }
            if (data.TryGetValue("UpperDir", out string? upper))
                data["MergedDir"] = Path.Combine(engine.Options.BundlesDirectory, container.Id, "rootfs");
        }
        catch (Exception e) when (e is Berth.Images.StoreException or IOException)
        {
            // Removed meanwhile: no directories to show.
        }
        return new GraphDriverData { Name = container.Record.Driver, Data = data };
    }

    /// <summary>
    /// Docker's NetworkSettings: the endpoints by network name, the published ports with their host ports, and the
    /// default bridge's endpoint mirrored in the deprecated top-level fields (API 1.50 still writes them).
    /// </summary>
    static NetworkSettings NetworkSettings(BerthEngine engine, ContainerRecord r)
    {
        string mode = r.HostConfig.NetworkMode ?? "default";
        var ports = r.State.Running && r.PublishedPorts is { } published
            ? new Dictionary<string, List<PortBinding>?>(published)
            : (r.Config.ExposedPorts ?? []).Keys.ToDictionary(p => p, _ => (List<PortBinding>?)null);
        var networks = new Dictionary<string, EndpointSettings?>();
        foreach (var (name, endpoint) in r.Networks)
        {
            if (string.IsNullOrEmpty(endpoint.NetworkID) && engine.Networks.TryGet(name) is { } network)
                endpoint.NetworkID = network.Id;
            networks[name] = endpoint;
        }
        var bridge = r.Networks.GetValueOrDefault("bridge");
        string sandboxKey = r.SandboxKey is { Length: > 0 } key ? key
            : r.State.Running && mode != "host" && !mode.StartsWith("container:", StringComparison.Ordinal) ? $"/proc/{r.State.Pid}/ns/net" : "";
        return new NetworkSettings
        {
            Bridge = "",
            SandboxID = sandboxKey.Length > 0 ? r.Id : "",
            SandboxKey = sandboxKey,
            Ports = ports,
            HairpinMode = false,
            LinkLocalIPv6Address = "",
            LinkLocalIPv6PrefixLen = 0,
            SecondaryIPAddresses = null,
            SecondaryIPv6Addresses = null,
            EndpointID = bridge?.EndpointID ?? "",
            Gateway = bridge?.Gateway ?? "",
            GlobalIPv6Address = "",
            GlobalIPv6PrefixLen = 0,
            IPAddress = bridge?.IPAddress ?? "",
            IPPrefixLen = bridge?.IPPrefixLen ?? 0,
            IPv6Gateway = "",
            MacAddress = bridge?.MacAddress ?? "",
            Networks = networks,
        };
    }

    /// <summary>The list's ports: each published binding, and each exposed port not published (without IP and public port).</summary>
    static List<ContainerPort> Ports(ContainerRecord r)
    {
        var list = new List<ContainerPort>();
        if (!r.State.Running || r.PublishedPorts is not { } published)
            return list;
        foreach (var (port, bindings) in published)
        {
            var (number, type) = Berth.Engine.Networks.PortMapper.ParsePort(port);
            ushort privatePort = (ushort)number;
            if (bindings is null || bindings.Count == 0)
            {
                list.Add(new ContainerPort { PrivatePort = privatePort, Type = type });
                continue;
            }
            foreach (var b in bindings)
                list.Add(new ContainerPort { IP = b.HostIp, PrivatePort = privatePort, PublicPort = ushort.Parse(b.HostPort, System.Globalization.CultureInfo.InvariantCulture), Type = type });
        }
        return list;
    }

    public static ContainerSummary Summary(BerthEngine engine, Container container)
    {
        var r = container.Record;
        var command = string.Join(' ', new[] { r.Path }.Concat(r.Args).Select(a => a.Contains(' ') ? $"\"{a}\"" : a));
        return new ContainerSummary
        {
            Id = r.Id,
            Names = [r.Name],
            Image = r.ImageName,
            ImageID = r.ImageId,
            Command = command,
            Created = r.Created.ToUnixTimeSeconds(),
            Ports = Ports(r),
            Labels = r.Config.Labels ?? [],
            State = r.State.Status,
            Status = Status(r),
            HostConfig = new ContainerSummaryHostConfig { NetworkMode = r.HostConfig.NetworkMode ?? "default" },
            NetworkSettings = new ContainerSummaryNetworkSettings { Networks = NetworkSettings(engine, r).Networks },
            Mounts = Engine.Volumes.VolumeViews.MountsOf(r),
        };
    }

    /// <summary>Docker's human status: "Up 3 minutes", "Up 3 minutes (healthy)", "Exited (0) 2 seconds ago", "Created", "Up 1 second (Paused)", "Restarting (1) 1 second ago".</summary>
    public static string Status(ContainerRecord r)
    {
        var s = r.State;
        var now = DateTimeOffset.UtcNow;
        return s.Status switch
        {
            ContainerStatus.Running when s.Health is { } health => $"Up {HumanDuration.Of(now - (s.StartedAt ?? now))} ({HealthStatus.Describe(health.Status)})",
            ContainerStatus.Running => "Up " + HumanDuration.Of(now - (s.StartedAt ?? now)),
            ContainerStatus.Paused => "Up " + HumanDuration.Of(now - (s.StartedAt ?? now)) + " (Paused)",
            ContainerStatus.Restarting => $"Restarting ({s.ExitCode}) {HumanDuration.Of(now - (s.FinishedAt ?? now))} ago",
            ContainerStatus.Exited when s.FinishedAt is not null => $"Exited ({s.ExitCode}) {HumanDuration.Of(now - s.FinishedAt.Value)} ago",
            ContainerStatus.Exited => "Exited",
            ContainerStatus.Removing => "Removal In Progress",
            ContainerStatus.Dead => "Dead",
            _ => "Created",
        };
    }
}
