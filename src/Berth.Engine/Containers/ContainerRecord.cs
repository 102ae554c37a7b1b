using Berth.Engine.Model;

namespace Berth.Engine.Containers;

/// <summary>
/// Everything the engine keeps about one container, persisted as containers/&lt;id&gt;/config.json
/// (atomically replaced on every change): the client's Config and HostConfig as given (with the
/// image's defaults merged in at create), and the run state.
/// </summary>
public sealed class ContainerRecord
{
    public string Id { get; set; } = "";

    /// <summary>Docker's name, with its leading slash ("/web").</summary>
    public string Name { get; set; } = "";

    public DateTimeOffset Created { get; set; }

    /// <summary>The image as the client named it ("busybox").</summary>
    public string ImageName { get; set; } = "";

    /// <summary>The image ID (sha256:...).</summary>
    public string ImageId { get; set; } = "";

    /// <summary>The process: the merged entrypoint and command's first word, and the rest.</summary>
    public string Path { get; set; } = "";

    public List<string> Args { get; set; } = [];

    public ContainerConfig Config { get; set; } = new();

    public HostConfig HostConfig { get; set; } = new();

    public ContainerRunState State { get; set; } = new();

    public int RestartCount { get; set; }

    /// <summary>The OCI runtime by name (berth, runc, crun).</summary>
    public string Runtime { get; set; } = EngineOptions.DefaultRuntimeName;

    public string Driver { get; set; } = "";

    public string LogPath { get; set; } = "";

    public List<string> ExecIds { get; set; } = [];

    /// <summary>The mounts resolved at create (binds, volumes, tmpfs); null for containers made before volumes.</summary>
    public List<Volumes.ContainerMountPoint>? MountPoints { get; set; }

    /// <summary>Endpoints by network name: the create's or connect's settings, and while it runs the addresses it was given.</summary>
    public Dictionary<string, EndpointSettings> Networks { get; set; } = [];

    /// <summary>While it runs: its published ports with the host ports chosen (inspect's NetworkSettings.Ports).</summary>
    public Dictionary<string, List<PortBinding>?>? PublishedPorts { get; set; }

    /// <summary>While it runs: its network namespace made by the engine ("" when it has none of its own from the engine).</summary>
    public string SandboxKey { get; set; } = "";

    /// <summary>
    /// While it runs: the host ends of its veths. Deleted with the namespace: the kernel's own removal, when the namespace
    /// goes, comes later (asynchronously), and a stopped container must leave no port on its bridges.
    /// </summary>
    public List<string>? HostInterfaces { get; set; }

    public string ShortId => Id[..12];

    public string PlainName => Name.TrimStart('/');
}
