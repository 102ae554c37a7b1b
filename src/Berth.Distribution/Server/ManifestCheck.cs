using System.Text.Json;
using Berth.Oci;
using Berth.Oci.Image;

namespace Berth.Distribution.Server;

/// <summary>
/// What the registry checks of a pushed manifest before it stores it: a media type it serves, a body that parses
/// as that type, and everything it refers to already in the repository (blobs for an image manifest, manifests
/// for an index). The subject need not exist (distribution spec 1.1: referrers may be pushed first).
/// </summary>
public sealed record ManifestCheck(string MediaType, IReadOnlyList<Descriptor> Blobs, IReadOnlyList<Descriptor> Manifests, Descriptor? Subject, string? ArtifactType, IReadOnlyDictionary<string, string>? Annotations)
{
    /// <summary>distribution's default limit on a manifest's size.</summary>
    public const int MaxSize = 4 << 20;

    /// <summary>
    /// Parses <paramref name="bytes"/> as the media type the request gave (<paramref name="contentType"/>) or, when it
    /// gave none that names a manifest, as the document's own <c>mediaType</c>.
    /// </summary>
    /// <exception cref="RegistryException">MANIFEST_INVALID.</exception>
    public static ManifestCheck Parse(string? contentType, byte[] bytes)
    {
        string? declared = DeclaredMediaType(bytes);
        string? requested = contentType?.Split(';')[0].Trim();
        if (requested is "" or "application/json" or "application/octet-stream")
            requested = null;
        string mediaType = requested ?? declared ?? GuessedMediaType(bytes);
        if (declared is not null && requested is not null && declared != requested)
            throw Invalid($"the manifest's mediaType {declared} does not match the Content-Type {requested}");
        if (MediaTypes.IsSchema1(mediaType))
            throw Invalid("schema 1 manifests are not supported: push schema 2 or OCI");
        try
        {
            if (MediaTypes.IsManifest(mediaType))
            {
                var manifest = OciImageJson.Read<ImageManifest>(bytes, "manifest");
                var blobs = new List<Descriptor>();
                if (manifest.Config is { } config)
                    blobs.Add(config);
                // Foreign and non-distributable layers live elsewhere (their urls); the registry need not hold them.
                blobs.AddRange((manifest.Layers ?? []).Where(l => !MediaTypes.IsNonDistributable(l.MediaType) && l.MediaType != MediaTypes.DockerForeignLayerGzip));
                string? artifactType = manifest.ArtifactType ?? manifest.Config?.MediaType;
                return new ManifestCheck(mediaType, blobs, [], manifest.Subject, artifactType, manifest.Annotations);
            }
            if (MediaTypes.IsIndex(mediaType))
            {
                var index = OciImageJson.Read<ImageIndex>(bytes, "index");
                return new ManifestCheck(mediaType, [], index.Manifests ?? [], index.Subject, index.ArtifactType, index.Annotations);
            }
        }
        catch (OciFormatException e)
        {
            throw Invalid(e.Message);
        }
        throw Invalid($"unsupported manifest media type {mediaType}");
    }

    /// <summary>The descriptor under which this manifest is listed among its subject's referrers.</summary>
    public Descriptor Referrer(Digest digest, long size) => new()
    {
        MediaType = MediaType,
        Digest = digest,
        Size = size,
        ArtifactType = ArtifactType,
        Annotations = Annotations,
    };

    static RegistryException Invalid(string detail) => new(RegistryErrorCode.ManifestInvalid, detail);

    static string? DeclaredMediaType(byte[] bytes)
    {
        try
        {
            var reader = new Utf8JsonReader(bytes);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                throw Invalid("a manifest is a JSON object");
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isMediaType = reader.ValueTextEquals("mediaType"u8);
                if (!reader.Read())
                    break;
                if (isMediaType)
                    return reader.TokenType == JsonTokenType.String ? reader.GetString() : throw Invalid("mediaType is not a string");
                reader.Skip();
            }
            return null;
        }
        catch (JsonException e)
        {
            throw Invalid(e.Message);
        }
    }

    /// <summary>An OCI document that omits its mediaType (allowed by the image spec): told by its fields.</summary>
    static string GuessedMediaType(byte[] bytes)
    {
        var reader = new Utf8JsonReader(bytes);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("manifests"u8))
                return MediaTypes.OciIndex;
            if (reader.ValueTextEquals("config"u8) || reader.ValueTextEquals("layers"u8))
                return MediaTypes.OciManifest;
            reader.Read();
            reader.Skip();
        }
        throw Invalid("neither an image manifest nor an index: no mediaType, config, layers or manifests");
    }
}
