using System.Text.Json.Serialization;

namespace Berth.Oci.Image;

/// <summary>
/// A list of manifests, one per platform, possibly with attestations (platform <c>unknown/unknown</c>): the OCI image
/// index, and Docker's manifest list, from which it was made.
/// </summary>
public sealed record ImageIndex
{
    [JsonPropertyName("schemaVersion")]
    public int SchemaVersion { get; init; } = 2;

    /// <summary><see cref="MediaTypes.OciIndex"/> or <see cref="MediaTypes.DockerManifestList"/>; OCI allows it absent.</summary>
    [JsonPropertyName("mediaType")]
    public string? MediaType { get; init; }

    [JsonPropertyName("artifactType")]
    public string? ArtifactType { get; init; }

    [JsonPropertyName("manifests")]
    public IReadOnlyList<Descriptor>? Manifests { get; init; }

    [JsonPropertyName("subject")]
    public Descriptor? Subject { get; init; }

    [JsonPropertyName("annotations")]
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    /// <summary>Docker's media type rather than OCI's: decides the descriptor field order when written.</summary>
    [JsonIgnore]
    public bool IsDocker => MediaTypes.IsDocker(MediaType);

    /// <summary>Checks schema version 2, an index media type, and well-formed descriptors.</summary>
    /// <exception cref="OciFormatException">The index is not usable; the message says why and where.</exception>
    public void Validate(string what) => DocumentValidation.Validate(this, what);
}
