namespace Berth.Oci.Image;

/// <summary>
/// What a manifest or index must have before it is used. Reading is tolerant (unknown fields, absent optional ones);
/// these checks are the ones whose failure would otherwise surface later as a confusing error: a schema 1 manifest, an
/// index read as a manifest, a descriptor without a digest.
/// </summary>
internal static class DocumentValidation
{
    public const string Schema1Removed =
        "Docker Image manifest version 2, schema 1 support has been removed; the image must be pushed again in the OCI "
        + "format or as Docker Image manifest version 2, schema 2 (https://docs.docker.com/go/deprecated-image-specs/)";

    public static void Validate(ImageManifest manifest, string what)
    {
        if (MediaTypes.IsSchema1(manifest.MediaType) || manifest.SchemaVersion == 1)
        {
            throw Error(what, "$", Schema1Removed);
        }
        SchemaVersion(manifest.SchemaVersion, what);
        if (manifest.MediaType is { Length: > 0 } mediaType && !MediaTypes.IsManifest(mediaType))
        {
            throw Error(what, "$.mediaType", MediaTypes.IsIndex(mediaType)
                ? $"media type {mediaType} is an index, not a manifest"
                : $"unsupported manifest media type {GoQuote.Quote(mediaType)}");
        }
        if (manifest.Config is null)
        {
            throw Error(what, "$.config", "missing config descriptor");
        }
        Check(manifest.Config, what, "$.config");
        IReadOnlyList<Descriptor> layers = manifest.Layers ?? [];
        for (int i = 0; i < layers.Count; i++)
        {
            Check(layers[i], what, $"$.layers[{i}]");
        }
        if (manifest.Subject is not null)
        {
            Check(manifest.Subject, what, "$.subject");
        }
    }

    public static void Validate(ImageIndex index, string what)
    {
        if (index.SchemaVersion == 1)
        {
            throw Error(what, "$", Schema1Removed);
        }
        SchemaVersion(index.SchemaVersion, what);
        if (index.MediaType is { Length: > 0 } mediaType && !MediaTypes.IsIndex(mediaType))
        {
            throw Error(what, "$.mediaType", MediaTypes.IsManifest(mediaType)
                ? $"media type {mediaType} is a manifest, not an index"
                : $"unsupported index media type {GoQuote.Quote(mediaType)}");
        }
        if (index.Manifests is null)
        {
            throw Error(what, "$.manifests", "missing manifests");
        }
        for (int i = 0; i < index.Manifests.Count; i++)
        {
            Check(index.Manifests[i], what, $"$.manifests[{i}]");
        }
        if (index.Subject is not null)
        {
            Check(index.Subject, what, "$.subject");
        }
    }

    private static void SchemaVersion(int version, string what)
    {
        if (version != 2)
        {
            throw Error(what, "$.schemaVersion", $"unsupported schemaVersion {version}, expected 2");
        }
    }

    // The reader has already refused malformed digests; what is left is absence and nonsense.
    private static void Check(Descriptor descriptor, string what, string path)
    {
        if (!MediaTypes.IsValid(descriptor.MediaType))
        {
            throw Error(what, path + ".mediaType", descriptor.MediaType.Length == 0
                ? "descriptor has no media type"
                : $"invalid media type {GoQuote.Quote(descriptor.MediaType)}");
        }
        if (MediaTypes.IsSchema1(descriptor.MediaType))
        {
            throw Error(what, path + ".mediaType", Schema1Removed);
        }
        if (descriptor.Digest.IsEmpty)
        {
            throw Error(what, path + ".digest", "descriptor has no digest");
        }
        if (descriptor.Size < 0)
        {
            throw Error(what, path + ".size", $"invalid size {descriptor.Size}");
        }
        if (descriptor.Data is { } data && (data.Length != descriptor.Size || DigestOf(data, descriptor.Digest.Algorithm) != descriptor.Digest))
        {
            throw Error(what, path + ".data", "embedded data does not match the descriptor's size and digest");
        }
    }

    private static Digest DigestOf(byte[] data, string algorithm)
    {
        using System.Security.Cryptography.IncrementalHash hash = new Digest(algorithm, "").CreateHash();
        hash.AppendData(data);
        return Digest.FromHash(algorithm, hash);
    }

    private static OciFormatException Error(string what, string path, string reason) =>
        new($"{what}: invalid {(path == "$" ? "document" : "value at " + path)}: {reason}", what, path);
}
