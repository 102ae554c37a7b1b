namespace Berth.Images.Store;

/// <summary>One image's share of the layers on disk: all of its layers, and those another image uses too.</summary>
public sealed record ImageDiskUsage(Image Image, long Size, long SharedSize);

/// <summary>The layers on disk (each counted once) and each image's part of them, as <c>docker system df</c> shows.</summary>
public sealed record LayerDiskUsage(long LayersSize, IReadOnlyList<ImageDiskUsage> Images);

public sealed partial class ImageStore
{
    /// <summary>
    /// Sizes as Docker's disk usage reports them: a layer is identified by its chain ID (the same
    /// blob under a different parent is a different layer on disk), <c>LayersSize</c> counts each
    /// once, and an image's <c>SharedSize</c> is the part of its layers that another image also has.
    /// </summary>
    public LayerDiskUsage LayerUsage()
    {
        var images = List();
        var layersOf = new List<(Image Image, (Berth.Oci.Digest Chain, long Size)[] Layers)>(images.Count);
        var users = new Dictionary<Berth.Oci.Digest, int>();
        var sizes = new Dictionary<Berth.Oci.Digest, long>();
        foreach (var image in images)
        {
            var descriptors = image.Manifest.Layers ?? [];
            var chains = Berth.Oci.Image.ChainId.All(image.DiffIds);
            int count = Math.Min(chains.Length, descriptors.Count);
            var layers = new (Berth.Oci.Digest, long)[count];
            for (int i = 0; i < count; i++)
            {
                layers[i] = (chains[i], LayerSize(descriptors[i]));
                users[chains[i]] = users.GetValueOrDefault(chains[i]) + 1;
                sizes[chains[i]] = layers[i].Item2;
            }
            layersOf.Add((image, layers));
        }
        var result = layersOf
            .Select(x => new ImageDiskUsage(x.Image, x.Layers.Sum(l => l.Size), x.Layers.Where(l => users[l.Chain] > 1).Sum(l => l.Size)))
            .ToList();
        return new LayerDiskUsage(sizes.Values.Sum(), result);
    }
}
