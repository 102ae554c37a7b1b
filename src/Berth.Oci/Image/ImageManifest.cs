using System.Text.Json.Serialization;

namespace Berth.Oci.Image;

/// <summary>
/// An image manifest: a config and layers (OCI image spec v1.1 "Image Manifest"). The same type reads and writes
/// Docker's schema 2 manifest, from which the OCI one was made: Docker's has no artifact type, subject or annotations.
/// <see cref="OciImageJson"/> validates what it reads (<see cref="Validate"/>).
/// </summary>
public sealed record ImageManifest
{
    [JsonPropertyName("schemaVersion")]
    public int SchemaVersion { get; init; } = 2;

    /// <summary><see cref="MediaTypes.OciManifest"/> or <see cref="MediaTypes.DockerManifest"/>; OCI allows it absent.</summary>
    [JsonPropertyName("mediaType")]
    public string? MediaType { get; init; }

    [JsonPropertyName("artifactType")]
    public string? ArtifactType { get; init; }

    [JsonPropertyName("config")]
    public Descriptor? Config { get; init; }

    /// <summary>Bottom layer first.</summary>
    [JsonPropertyName("layers")]
    public IReadOnlyList<Descriptor>? Layers { get; init; }

    /// <summary>The manifest this one is about (a signature, an SBOM): the OCI referrers relation.</summary>
    [JsonPropertyName("subject")]
    public Descriptor? Subject { get; init; }

    [JsonPropertyName("annotations")]
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    /// <summary>Docker's media type rather than OCI's: decides the descriptor field order when written.</summary>
    [JsonIgnore]
    public bool IsDocker => MediaTypes.IsDocker(MediaType);

    /// <summary>
    /// Checks what a manifest must have to be used: schema version 2 (schema 1 refused with Docker's reason), a manifest
    /// media type, a config descriptor, and well-formed media types, digests and sizes in every descriptor.
    /// </summary>
    /// <param name="what">Names the manifest in the message, e.g. <c>manifest sha256:…</c>.</param>
    /// <exception cref="OciFormatException">The manifest is not usable; the message says why and where.</exception>
    public void Validate(string what) => DocumentValidation.Validate(this, what);
}
