using System.Text.Json;
using System.Text.Json.Serialization;
using Berth.Oci.Runtime;

namespace Berth.Oci.Tests.Reference;

/// <summary>
/// The serializer's view of the OCI runtime types, which Berth.Oci used until its hand-written reader and writer
/// replaced it, and which the tests hold them against: source-generated metadata with Go's encoding/json conventions
/// (null properties omitted, unknown properties ignored, property names matched case-insensitively on read, maps
/// written with sorted keys, times as RFC 3339). <see cref="Serializer"/> adds Go's string escaping and indentation.
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
