using Berth.Images.Layers;

namespace Berth.Images.Snapshots;

/// <summary>
/// Copy-on-write file systems for images and containers, after containerd's snapshotter:
///
/// - A <b>committed</b> snapshot is a read-only layer, named (usually by its chain ID), with an optional
///   committed parent: an image's root file system is the chain of its layers' snapshots.
/// - An <b>active</b> snapshot (<see cref="Prepare"/>) is a writable layer over a committed parent — a
///   container's root file system, or a layer being unpacked (prepare, apply the tar into
///   <see cref="LayerDirectory"/>, <see cref="Commit"/>).
/// - A <b>view</b> (<see cref="View"/>) is a read-only active snapshot, for looking into an image.
///
/// Methods return mounts as data (<see cref="MountSpec"/>) and never mount anything themselves:
/// the caller mounts them where it wants (<see cref="SnapshotMounts"/>), or hands them to a runtime.
/// Keys are unique among all snapshots; a committed snapshot cannot be removed while another has it
/// as parent. State lives in the metadata database, directories under snapshots/&lt;name&gt;/&lt;id&gt;/;
/// every change is a transaction, with directories created before and removed after it commits, so a
/// crash leaves at most an unreferenced directory that garbage collection removes.
/// </summary>
public interface ISnapshotter
{
    /// <summary>The snapshotter's name ("overlayfs", "vfs"): its rows in the metadata and its directory.</summary>
    string Name { get; }

    SnapshotInfo Stat(string key);

    /// <summary>A writable snapshot over <paramref name="parent"/> (a committed snapshot, or null for an empty one).</summary>
    IReadOnlyList<MountSpec> Prepare(string key, string? parent, IReadOnlyDictionary<string, string>? labels = null);

    /// <summary>A read-only view of <paramref name="parent"/>.</summary>
    IReadOnlyList<MountSpec> View(string key, string? parent, IReadOnlyDictionary<string, string>? labels = null);

    /// <summary>The mounts of an active snapshot or view.</summary>
    IReadOnlyList<MountSpec> Mounts(string key);

    /// <summary>
    /// Read-only mounts of what an active snapshot shows (its layer over its parents), for reading it
    /// while nothing else has it mounted: <c>docker export</c> of a stopped container.
    /// </summary>
    IReadOnlyList<MountSpec> ReadOnlyMounts(string key);

    /// <summary>Turns the active snapshot <paramref name="key"/> into the committed snapshot <paramref name="name"/>.</summary>
    void Commit(string name, string key, IReadOnlyDictionary<string, string>? labels = null);

    /// <summary>Removes a snapshot that no other snapshot has as parent.</summary>
    void Remove(string key);

    IEnumerable<SnapshotInfo> Walk();

    /// <summary>Disk usage of the snapshot's own layer (not its parents).</summary>
    SnapshotUsage Usage(string key);

    /// <summary>
    /// The directory holding an active snapshot's own layer, unmounted, and how whiteouts are written
    /// there: where an unpacker applies a layer tar directly, faster than through a mount.
    /// </summary>
    LayerDirectory LayerDirectory(string key);

    /// <summary>What the active snapshot changed over its parent, as <c>docker diff</c> lists it.</summary>
    IReadOnlyList<Change> Changes(string key);

    /// <summary>
    /// Writes the snapshot's changes over its parent as a layer tar (what <c>docker commit</c> stores).
    /// The snapshot must be quiescent while this runs (its container paused or stopped).
    /// </summary>
    LayerWriteResult WriteLayer(string key, Stream output, LayerWriteOptions? options = null);
}

public enum SnapshotKind
{
    View,
    Active,
    Committed,
}

public sealed record SnapshotInfo(string Key, string? Parent, SnapshotKind Kind, DateTimeOffset Created, IReadOnlyDictionary<string, string> Labels);

public sealed record SnapshotUsage(long Size, long Inodes);

/// <summary>A mount to make, as in an OCI config's mounts: type, source, options (e.g. overlay with lowerdir=...).</summary>
public sealed record MountSpec(string Type, string Source, IReadOnlyList<string> Options);

/// <summary>An active snapshot's own layer on disk (<see cref="ISnapshotter.LayerDirectory"/>).</summary>
public sealed record LayerDirectory(string Path, WhiteoutMode Whiteouts);
