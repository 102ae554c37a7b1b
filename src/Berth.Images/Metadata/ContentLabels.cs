using Berth.Oci;

namespace Berth.Images.Metadata;

/// <summary>
/// Labels of blobs, by digest: what garbage collection follows from one blob to others
/// (<see cref="Gc.GcLabels"/>: a manifest names its config and layers, an index its manifests, an
/// image config the snapshot of its unpacked layers). Labels may be set before the blob is written
/// (under a lease); the collector drops the labels of content it removes.
/// </summary>
public sealed class ContentLabels
{
    readonly MetadataTransaction _tx;

    internal ContentLabels(MetadataTransaction tx) => _tx = tx;

    public IReadOnlyDictionary<string, string> Get(Digest digest) => LabelTable.Content.Load(_tx, Key(digest));

    /// <summary>Replaces all labels of <paramref name="digest"/>.</summary>
    public void Set(Digest digest, IReadOnlyDictionary<string, string> labels) => LabelTable.Content.Replace(_tx, Key(digest), labels);

    /// <summary>Sets one label, or removes it when <paramref name="value"/> is null.</summary>
    public void SetLabel(Digest digest, string key, string? value) => LabelTable.Content.Set(_tx, Key(digest), key, value);

    /// <summary>Removes every label of <paramref name="digest"/>.</summary>
    public void Remove(Digest digest) => LabelTable.Content.Delete(_tx, Key(digest));

    /// <summary>Digests that have labels.</summary>
    public IReadOnlyList<Digest> Labelled()
    {
        using var command = _tx.Command("SELECT DISTINCT digest FROM content_labels ORDER BY digest");
        using var reader = command.ExecuteReader();
        var digests = new List<Digest>();
        while (reader.Read())
        {
            if (Digest.TryParse(reader.GetString(0), out var digest))
                digests.Add(digest);
        }
        return digests;
    }

    static string Key(Digest digest) => digest.IsEmpty ? throw StoreException.Invalid("empty digest") : digest.ToString();
}
