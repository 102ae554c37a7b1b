using System.Security.Cryptography;
using Berth.Oci;

namespace Berth.Images.Store;

public sealed partial class ImageStore
{
    /// <summary>
    /// Checks an image from its bytes up: its manifest, config and layer blobs are present and match
    /// their digests, and each layer's uncompressed tar matches the diffID its config gives it.
    /// Returns what is wrong (empty: the image is whole).
    /// </summary>
    public IReadOnlyList<string> Verify(Image image)
    {
        var problems = new List<string>();
        foreach (var (digest, what) in new[] { (image.ManifestDigest, "manifest"), (image.Id, "config") })
        {
            if (Content.Info(digest) is null)
                problems.Add($"{what} {digest} is missing");
            else if (!Content.Verify(digest))
                problems.Add($"{what} {digest} does not match its digest");
        }
        var layers = image.Manifest.Layers ?? [];
        if (layers.Count != image.DiffIds.Count)
            problems.Add($"{layers.Count} layers but {image.DiffIds.Count} diffIDs");
        foreach (var layer in LayersOf(image))
        {
            if (Content.Info(layer.Digest) is null)
            {
                problems.Add($"layer {layer.Digest} is missing");
                continue;
            }
            if (!Content.Verify(layer.Digest))
            {
                problems.Add($"layer {layer.Digest} does not match its digest");
                continue;
            }
            if (layer.Digest != layer.DiffId && UncompressedDigest(layer.Digest) is var diffId && diffId != layer.DiffId)
                problems.Add($"layer {layer.Digest} uncompresses to {diffId}, not its diffID {layer.DiffId}");
        }
        return problems;
    }

    Digest UncompressedDigest(Digest blob)
    {
        using var stream = OpenUncompressed(blob);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 20];
        int n;
        while ((n = stream.Read(buffer)) > 0)
            hash.AppendData(buffer.AsSpan(0, n));
        return Digest.FromHash(Digest.Sha256, hash);
    }
}
