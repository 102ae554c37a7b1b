namespace Berth.Engine.Model;

/// <summary><c>POST /volumes/create</c>'s body (cluster volume specs are not served).</summary>
public sealed class VolumeCreateRequest
{
    public string Name { get; set; } = "";

    public string Driver { get; set; } = "";

    public Dictionary<string, string>? DriverOpts { get; set; }

    public Dictionary<string, string>? Labels { get; set; }
}

/// <summary><c>GET /volumes</c>.</summary>
public sealed class VolumeListResponse
{
    public List<Volume>? Volumes { get; set; }

    public List<string>? Warnings { get; set; }
}

/// <summary><c>POST /volumes/prune</c>.</summary>
public sealed class VolumePruneResponse
{
    public List<string>? VolumesDeleted { get; set; }

    public ulong SpaceReclaimed { get; set; }
}
