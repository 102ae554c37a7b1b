using System.Globalization;
using Berth.Oci;
using Berth.Oci.Image;

namespace Berth.Images.Store;

/// <summary>One line of <c>docker history</c>, newest first.</summary>
public sealed record HistoryItem(string Id, DateTimeOffset Created, string CreatedBy, IReadOnlyList<string> Tags, long Size, string Comment);

/// <summary>The fields of <c>docker image inspect</c> (the engine writes them as Docker's JSON).</summary>
public sealed record ImageInspect(
    string Id,
    IReadOnlyList<string> RepoTags,
    IReadOnlyList<string> RepoDigests,
    string Parent,
    string Comment,
    string Created,
    string DockerVersion,
    string Author,
    ExecutionConfig? Config,
    string Architecture,
    string? Variant,
    string Os,
    string? OsVersion,
    long Size,
    GraphDriverData GraphDriver,
    IReadOnlyList<string> RootFSLayers,
    DateTimeOffset? LastTagTime);

/// <summary>Docker's GraphDriver: the snapshotter and, once unpacked, the directories of the image's layers.</summary>
public sealed record GraphDriverData(string Name, IReadOnlyDictionary<string, string> Data);

public sealed partial class ImageStore
{
    /// <summary>Content label on a layer blob: the sum of its entries' sizes (Docker's layer size), cached on first use.</summary>
    internal const string LayerSizeLabel = "berth.layer.size";

    public ImageInspect Inspect(Image image)
    {
        var config = image.Config;
        return new ImageInspect(
            Id: image.Id.ToString(),
            RepoTags: image.RepoTags,
            RepoDigests: image.RepoDigests,
            Parent: image.Parent?.ToString() ?? "",
            Comment: config.Comment ?? "",
            Created: config.Created?.ToString() ?? "0001-01-01T00:00:00Z",
            DockerVersion: config.DockerVersion ?? "",
            Author: config.Author ?? "",
            Config: config.Config,
            Architecture: config.Architecture,
            Variant: config.Variant,
            Os: config.OS,
            OsVersion: config.OSVersion,
            Size: Size(image),
            GraphDriver: new GraphDriverData(Snapshotter.Name, GraphDriverDirectories(image)),
            RootFSLayers: [.. image.DiffIds.Select(d => d.ToString())],
            LastTagTime: image.LastTagTime);
    }

    /// <summary>Docker's image Size: the sum of its layers' sizes.</summary>
    public long Size(Image image) => (image.Manifest.Layers ?? []).Sum(l => LayerSize(l));

    /// <summary>
    /// <c>docker history</c>: the config's history, newest first, each line that made a layer with
    /// that layer's size; the image's own ID on the top line and its parents' (images this one was
    /// committed on, still here) on theirs, "&lt;missing&gt;" elsewhere, as Docker shows it.
    /// </summary>
    public IReadOnlyList<HistoryItem> History(Image image)
    {
        var history = image.Config.History ?? [];
        var layers = image.Manifest.Layers ?? [];
        var owners = new Dictionary<int, Image> { [history.Count - 1] = image };
        for (var parent = ParentOf(image); parent is not null; parent = ParentOf(parent))
            owners.TryAdd((parent.Config.History?.Count ?? 0) - 1, parent);
        var items = new List<HistoryItem>(history.Count);
        int layer = 0;
        for (int i = 0; i < history.Count; i++)
        {
            var h = history[i];
            long size = 0;
            if (!h.EmptyLayer && layer < layers.Count)
                size = LayerSize(layers[layer++]);
            owners.TryGetValue(i, out var owner);
            items.Add(new HistoryItem(
                owner?.Id.ToString() ?? "<missing>",
                h.Created?.Value ?? DateTimeOffset.UnixEpoch,
                h.CreatedBy ?? "",
                owner?.RepoTags ?? [],
                size,
                h.Comment ?? ""));
        }
        items.Reverse();
        return items;
    }

    Image? ParentOf(Image image) => image.Parent is { } parent ? TryGet(parent.ToString()) : null;

    /// <summary>Overlay's directories as Docker's overlay2 shows them, once the image is unpacked; none otherwise.</summary>
    IReadOnlyDictionary<string, string> GraphDriverDirectories(Image image)
    {
        if (image.ChainId is not { } chain)
            return new Dictionary<string, string>();
        var directories = Metadata.Read(tx =>
        {
            var records = tx.Snapshots(Snapshotter.Name);
            var top = records.Get(chain.ToString());
            return top is null ? null : records.ParentChain(top.Key).Prepend(top).Select(r => Path.Combine(Snapshotter.Directory, r.Id.ToString(CultureInfo.InvariantCulture), "fs")).ToList();
        });
        if (directories is null)
            return new Dictionary<string, string>();
        var data = new Dictionary<string, string> { ["UpperDir"] = directories[0] };
        if (directories.Count > 1)
            data["LowerDir"] = string.Join(':', directories.Skip(1));
        return data;
    }

    /// <summary>Content label on a layer blob: the length of its uncompressed tar, cached on first use.</summary>
    internal const string TarSizeLabel = "berth.layer.tarsize";

    /// <summary>The size of a layer blob's content (Docker's layer size).</summary>
    long LayerSize(Descriptor layer) => LayerSizes(layer.Digest).ContentSize;

    /// <summary>The length of a layer's uncompressed tar.</summary>
    long TarSize(StoredLayer layer) => layer.Digest == layer.DiffId ? layer.Size : LayerSizes(layer.Digest).TarSize;

    /// <summary>A layer blob's sizes, computed once (a read through its tar) and kept as labels.</summary>
    (long TarSize, long ContentSize) LayerSizes(Digest blob)
    {
        var labels = Metadata.Read(tx => tx.Content.Get(blob));
        if (labels.TryGetValue(LayerSizeLabel, out string? content) && long.TryParse(content, CultureInfo.InvariantCulture, out long contentSize)
            && labels.TryGetValue(TarSizeLabel, out string? tar) && long.TryParse(tar, CultureInfo.InvariantCulture, out long tarSize))
            return (tarSize, contentSize);
        using (var stream = Content.OpenRead(blob))
        using (var decompressed = Layers.LayerStreams.Decompress(stream, out _))
            (tarSize, contentSize) = LayerScan.Scan(decompressed);
        RecordSizes(blob, tarSize, contentSize);
        return (tarSize, contentSize);
    }

    internal void RecordSizes(Digest blob, long tarSize, long contentSize) => Metadata.Write(tx =>
    {
        tx.Content.SetLabel(blob, LayerSizeLabel, contentSize.ToString(CultureInfo.InvariantCulture));
        tx.Content.SetLabel(blob, TarSizeLabel, tarSize.ToString(CultureInfo.InvariantCulture));
    });
}
