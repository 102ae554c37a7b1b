using System.Text.Json.Serialization;
using Berth.Oci.Image.Json;

namespace Berth.Oci.Image;

/// <summary>
/// Source-generated metadata for the image documents. Use <see cref="OciImageJson"/> to read and write them: it adds
/// what a context alone cannot carry (Go's omitempty, Docker's descriptor order, Go's string escaping, worded errors).
/// Names are matched case-insensitively and unknown properties ignored, as Go's encoding/json does.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNameCaseInsensitive = true,
    Converters =
    [
        typeof(GoStringConverter),
        typeof(DigestConverter),
        typeof(TimestampConverter),
        typeof(SortedMapConverter),
        typeof(StringSetConverter),
    ])]
[JsonSerializable(typeof(ImageManifest))]
[JsonSerializable(typeof(ImageIndex))]
[JsonSerializable(typeof(ImageConfig))]
[JsonSerializable(typeof(Descriptor))]
[JsonSerializable(typeof(Platform))]
public sealed partial class OciImageJsonContext : JsonSerializerContext;
