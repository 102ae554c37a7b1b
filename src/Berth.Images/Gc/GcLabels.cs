using System.Globalization;
using Berth.Oci;

namespace Berth.Images.Gc;

/// <summary>
/// The labels garbage collection follows, containerd's <c>containerd.io/gc.*</c> under Berth's name.
/// Set on a blob (<see cref="Metadata.ContentLabels"/>) or on a snapshot:
/// <list type="bullet">
/// <item><c>berth.gc.ref.content</c> or <c>berth.gc.ref.content.&lt;anything&gt;</c> = digest: keeps that blob
/// (a manifest: <c>.config</c>, <c>.l.&lt;i&gt;</c> per layer; an index: <c>.m.&lt;i&gt;</c> per manifest).</item>
/// <item><c>berth.gc.ref.snapshot.&lt;snapshotter&gt;</c> or <c>...&lt;snapshotter&gt;/&lt;anything&gt;</c> = key: keeps that snapshot
/// (an image config names the chain ID of its unpacked layers, as containerd's unpacker does).</item>
/// <item><c>berth.gc.root</c> (any value): the object is a root itself.</item>
/// <item><c>berth.gc.transient</c> (any value), on an active snapshot or view: it is <i>not</i> a root by
/// itself (active snapshots and views otherwise are), only while leased or referenced — for the
/// snapshots an unpack makes under its lease, so that an unpack killed half-way leaks nothing once
/// its lease expires.</item>
/// </list>
/// Set the labels in the transaction that records the parent object, after its children are stored.
/// </summary>
public static class GcLabels
{
    public const string Prefix = "berth.gc.";
    public const string Root = "berth.gc.root";
    public const string Transient = "berth.gc.transient";
    public const string ContentRef = "berth.gc.ref.content";
    public const string SnapshotRefPrefix = "berth.gc.ref.snapshot.";

    public const string Config = ContentRef + ".config";

    public static string Layer(int index) => string.Create(CultureInfo.InvariantCulture, $"{ContentRef}.l.{index}");

    public static string Manifest(int index) => string.Create(CultureInfo.InvariantCulture, $"{ContentRef}.m.{index}");

    public static string Snapshot(string snapshotter) => SnapshotRefPrefix + snapshotter;

    /// <summary>The labels of a manifest blob: its config and its layers.</summary>
    public static Dictionary<string, string> ForManifest(Digest config, IEnumerable<Digest> layers)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal) { [Config] = config.ToString() };
        int i = 0;
        foreach (var layer in layers)
            labels[Layer(i++)] = layer.ToString();
        return labels;
    }

    /// <summary>The labels of an index (manifest list) blob: its manifests.</summary>
    public static Dictionary<string, string> ForIndex(IEnumerable<Digest> manifests)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        int i = 0;
        foreach (var manifest in manifests)
            labels[Manifest(i++)] = manifest.ToString();
        return labels;
    }

    internal static bool IsContentRef(string key)
        => key.StartsWith(ContentRef, StringComparison.Ordinal) && (key.Length == ContentRef.Length || key[ContentRef.Length] == '.');

    /// <summary>The snapshotter a snapshot reference label names, or null if <paramref name="key"/> is none.</summary>
    internal static string? SnapshotRefSnapshotter(string key)
    {
        if (!key.StartsWith(SnapshotRefPrefix, StringComparison.Ordinal) || key.Length == SnapshotRefPrefix.Length)
            return null;
        string rest = key[SnapshotRefPrefix.Length..];
        int slash = rest.IndexOf('/');
        return slash < 0 ? rest : slash > 0 ? rest[..slash] : null;
    }
}
