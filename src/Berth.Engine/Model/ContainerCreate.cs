using System.Text.Json.Serialization;
using static System.Text.Json.Serialization.JsonIgnoreCondition;

namespace Berth.Engine.Model;

/// <summary>
/// The body of <c>POST /containers/create</c>: the <see cref="ContainerConfig"/> fields at top level (Go embeds the
/// config), then <see cref="HostConfig"/> and <see cref="NetworkingConfig"/>.
/// <see cref="ContainerConfig.ToContainerConfig"/> takes the config part out.
/// </summary>
public sealed class ContainerCreateRequest : ContainerConfig
{
    [JsonPropertyOrder(1)]
    [JsonIgnore(Condition = WhenWritingDefault)]
    public HostConfig? HostConfig { get; set; }

    [JsonPropertyOrder(1)]
    [JsonIgnore(Condition = WhenWritingDefault)]
    public NetworkingConfig? NetworkingConfig { get; set; }
}

/// <summary>The answer to a create: the new container's ID and warnings (an array, never null).</summary>
public sealed class ContainerCreateResponse
{
    public string Id { get; set; } = "";

    public List<string> Warnings { get; set; } = [];
}

/// <summary>The body of <c>POST /containers/{id}/update</c>: <see cref="Resources"/> and the restart policy.</summary>
public sealed class ContainerUpdateRequest : Resources
{
    [JsonPropertyOrder(1)]
    public RestartPolicy RestartPolicy { get; set; } = new();
}
