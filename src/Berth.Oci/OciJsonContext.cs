using System.Text.Json;
using System.Text.Json.Serialization;
using Berth.Oci.Json;
using Berth.Oci.Runtime;

namespace Berth.Oci;

/// <summary>
/// Source-generated JSON metadata for the OCI runtime types, with Go's encoding/json conventions:
/// null properties omitted, unknown properties ignored, property names matched case-insensitively on read,
/// maps written with sorted keys, times as RFC 3339. Use <see cref="OciJson"/> to read and write: it adds
/// Go's string escaping and runc's indentation, which a context alone cannot carry.
/// </summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = true,
    RespectNullableAnnotations = true,
    Converters =
    [
        typeof(GoTimeConverter),
        typeof(GoMapConverter<string>),
        typeof(GoMapConverter<TimeOffset>),
        typeof(GoMapConverter<LinuxRdma>),
        typeof(GoMapConverter<LinuxNetDevice>),
    ])]
[JsonSerializable(typeof(RuntimeSpec))]
[JsonSerializable(typeof(Process))]
[JsonSerializable(typeof(LinuxResources))]
[JsonSerializable(typeof(ContainerState))]
[JsonSerializable(typeof(List<ContainerState>))]
[JsonSerializable(typeof(HookState))]
[JsonSerializable(typeof(ContainerProcessState))]
[JsonSerializable(typeof(Features))]
public sealed partial class OciJsonContext : JsonSerializerContext;
