namespace Berth.Engine.Volumes;

/// <summary>
/// One mount of a container as the engine resolved it at create (Docker's container.MountPoint): kept in the
/// container's record, so that start, inspect, volume references and <c>rm -v</c> all read the same decision.
/// </summary>
public sealed class ContainerMountPoint
{
    /// <summary><c>bind</c>, <c>volume</c> or <c>tmpfs</c>.</summary>
    public string Type { get; set; } = "";

    /// <summary>The volume's name, for volumes.</summary>
    public string Name { get; set; } = "";

    /// <summary>The host path: a bind's source or a volume's _data; empty for tmpfs.</summary>
    public string Source { get; set; } = "";

    public string Destination { get; set; } = "";

    public string Driver { get; set; } = "";

    /// <summary>The mode as given with <c>-v</c> (Docker's inspect shows it), empty for <c>--mount</c>.</summary>
    public string Mode { get; set; } = "";

    public bool RW { get; set; } = true;

    /// <summary>Bind propagation (rprivate by default for binds, empty for volumes and tmpfs).</summary>
    public string Propagation { get; set; } = "";

    /// <summary>The client named the volume: <c>rm -v</c> leaves it (Docker's Spec.Source != "").</summary>
    public bool Named { get; set; }

    /// <summary>Copy the image's content at the destination into the volume when it is empty.</summary>
    public bool CopyData { get; set; }

    /// <summary>A plain bind, not a recursive one (<c>bind-nonrecursive</c>).</summary>
    public bool NonRecursive { get; set; }

    /// <summary>Make a missing bind source (<c>-v</c>) instead of refusing it (<c>--mount</c>).</summary>
    public bool CreateSource { get; set; }

    public long TmpfsSize { get; set; }

    public uint TmpfsMode { get; set; }

    public ContainerMountPoint Clone() => (ContainerMountPoint)MemberwiseClone();
}

/// <summary>A mount point before its volume exists: what to create the volume with.</summary>
public sealed record PlannedMount(ContainerMountPoint Point, Dictionary<string, string>? Labels = null, Dictionary<string, string>? DriverOptions = null);
