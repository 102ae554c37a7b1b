using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Berth.Engine.Model;

/// <summary>
/// The Docker Engine API's JSON, as Go's encoding/json reads and writes it in Docker 28 (API 1.50).
/// <list type="bullet">
/// <item>Write with <see cref="Serialize{T}"/> / <see cref="SerializeLine{T}"/>: no indentation, Go's
/// <c>omitempty</c>, map keys sorted, times as RFC 3339 with nanoseconds, and Go's string escaping (HTML-escaping as
/// <c>json.Marshal</c>, or not, as the daemon's responses).</item>
/// <item>Read with <see cref="Deserialize{T}"/>: names matched case-insensitively, unknown properties ignored,
/// <c>null</c> leaving Go values (numbers, strings, structs) at zero, <c>"Cmd": "a b"</c> as a one-element list;
/// a document that does not fit throws <see cref="DockerJsonException"/> worded like Go's error.</item>
/// </list>
/// Pass the type's metadata from this context (<c>DockerJson.Default.ContainerInspect</c>); the helpers use it under
/// <see cref="GoOptions"/>, whose contract carries the Go semantics. <see cref="JsonSerializer"/> used directly with
/// <c>DockerJson.Default</c>'s metadata gets most of them, not all: omitempty only for null, zero and false, and
/// System.Text.Json's escaping.
/// <para>
/// How the model says what Go's struct tags say (Docker's Go types in api/types as of Docker 28, API 1.50): property
/// names are the JSON names; a Go string is a non-null <c>string</c> and a Go struct held by value a non-null object;
/// Go's slices, maps and pointers are nullable and written as <c>null</c> when null. Go's <c>omitempty</c> is
/// <c>[JsonIgnore(Condition = WhenWritingDefault)]</c>; <c>WhenWritingNull</c> marks fields written only when set
/// for some API versions. Go's embedded structs are base classes, with <c>[JsonPropertyOrder]</c> where Go's field
/// order needs it.
/// </para>
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNameCaseInsensitive = true,
    GenerationMode = JsonSourceGenerationMode.Metadata,
    Converters =
    [
        typeof(GoTimeConverter),
        typeof(GoInt64Converter),
        typeof(GoInt32Converter),
        typeof(GoUInt64Converter),
        typeof(GoUInt32Converter),
        typeof(GoUInt16Converter),
        typeof(GoBooleanConverter),
        typeof(GoStringMapConverter),
        typeof(GoValueMapConverter<EmptyObject>),
        typeof(GoMapConverter<List<PortBinding>>),
        typeof(GoMapConverter<EndpointSettings>),
        typeof(GoMapConverter<NetworkEndpoint>),
        typeof(GoMapConverter<ulong>),
        typeof(GoValueMapConverter<NetworkStats>),
        typeof(GoMapConverter<IndexInfo>),
        typeof(GoValueMapConverter<RuntimeInfo>),
        typeof(GoMapConverter<JsonElement>),
    ])]
// Containers
[JsonSerializable(typeof(ContainerCreateRequest))]
[JsonSerializable(typeof(ContainerCreateResponse))]
[JsonSerializable(typeof(ContainerConfig))]
[JsonSerializable(typeof(HostConfig))]
[JsonSerializable(typeof(NetworkingConfig))]
[JsonSerializable(typeof(ContainerInspect))]
[JsonSerializable(typeof(List<ContainerSummary>))]
[JsonSerializable(typeof(ContainerWaitResponse))]
[JsonSerializable(typeof(ContainerTopResponse))]
[JsonSerializable(typeof(List<FilesystemChange>))]
[JsonSerializable(typeof(ContainerUpdateRequest))]
[JsonSerializable(typeof(ContainerUpdateResponse))]
[JsonSerializable(typeof(ContainerPruneResponse))]
// Networks
[JsonSerializable(typeof(Network))]
[JsonSerializable(typeof(List<Network>))]
[JsonSerializable(typeof(NetworkCreateRequest))]
[JsonSerializable(typeof(NetworkCreateResponse))]
[JsonSerializable(typeof(NetworkConnectRequest))]
[JsonSerializable(typeof(NetworkDisconnectRequest))]
[JsonSerializable(typeof(NetworkPruneResponse))]
[JsonSerializable(typeof(ContainerPathStat))]
[JsonSerializable(typeof(ContainerStats))]
// Exec
[JsonSerializable(typeof(ExecCreateRequest))]
[JsonSerializable(typeof(ExecStartRequest))]
[JsonSerializable(typeof(ExecInspect))]
// Images
[JsonSerializable(typeof(List<ImageSummary>))]
[JsonSerializable(typeof(ImageInspectResponse))]
[JsonSerializable(typeof(List<ImageHistoryItem>))]
[JsonSerializable(typeof(List<ImageDeleteResponseItem>))]
[JsonSerializable(typeof(ImagePruneResponse))]
// Volumes
[JsonSerializable(typeof(Volume))]
[JsonSerializable(typeof(VolumeCreateRequest))]
[JsonSerializable(typeof(VolumeListResponse))]
[JsonSerializable(typeof(VolumePruneResponse))]
// System
[JsonSerializable(typeof(SystemVersion))]
[JsonSerializable(typeof(SystemInfo))]
[JsonSerializable(typeof(SystemDataUsage))]
[JsonSerializable(typeof(EventMessage))]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(IdResponse))]
[JsonSerializable(typeof(AuthConfig))]
[JsonSerializable(typeof(AuthResponse))]
// Plain values
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(List<string>))]
public sealed partial class DockerJson : JsonSerializerContext
{
    /// <summary>
    /// Options whose contract is Go's (omitempty of empty strings and collections, <c>null</c> leaving Go values
    /// alone); what the helpers use. Take metadata from it with <see cref="GoTypeInfo{T}"/>.
    /// </summary>
    public static JsonSerializerOptions GoOptions => Go.Options;

    /// <summary>The Go-semantics metadata for <paramref name="typeInfo"/>'s type (from any of this context's metadata).</summary>
    public static JsonTypeInfo<T> GoTypeInfo<T>(JsonTypeInfo<T> typeInfo) => (JsonTypeInfo<T>)Go.Options.GetTypeInfo(typeInfo.Type);

    /// <summary>
    /// Go's <c>json.Marshal</c>: compact, no trailing newline. <paramref name="escapeHtml"/> false is Go's
    /// <c>SetEscapeHTML(false)</c>, as the daemon writes its responses; true (Go's default) is how the CLI writes
    /// request bodies and the daemon its event and stats streams.
    /// </summary>
    public static byte[] Serialize<T>(T value, JsonTypeInfo<T> typeInfo, bool escapeHtml = true)
    {
        ArrayBufferWriter<byte> output = new(1024);
        Serialize(output, value, typeInfo, escapeHtml);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Go's <c>json.NewEncoder(w).Encode(v)</c>: the value and a newline (response bodies, stream items).</summary>
    public static byte[] SerializeLine<T>(T value, JsonTypeInfo<T> typeInfo, bool escapeHtml = true)
    {
        ArrayBufferWriter<byte> output = new(1024);
        Serialize(output, value, typeInfo, escapeHtml);
        output.Write("\n"u8);
        return output.WrittenSpan.ToArray();
    }

    /// <summary><see cref="Serialize{T}(T, JsonTypeInfo{T}, bool)"/> into <paramref name="destination"/>.</summary>
    public static void Serialize<T>(IBufferWriter<byte> destination, T value, JsonTypeInfo<T> typeInfo, bool escapeHtml = true)
    {
        ArrayBufferWriter<byte> json = new(1024);
        using (Utf8JsonWriter writer = new(json, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            JsonSerializer.Serialize(writer, value, GoTypeInfo(typeInfo));
        }
        Berth.Oci.Json.GoEscaping.Apply(json.WrittenSpan, destination, escapeHtml, shortBackspaceAndFormFeed: true);
    }

    /// <summary>
    /// Go's <c>json.Unmarshal</c> into a new <typeparamref name="T"/>; a document that is just <c>null</c> gives null.
    /// </summary>
    /// <exception cref="DockerJsonException">Malformed JSON, or a value of the wrong type for its field.</exception>
    public static T? Deserialize<T>(ReadOnlySpan<byte> utf8, JsonTypeInfo<T> typeInfo)
    {
        JsonTypeInfo<T> go = GoTypeInfo(typeInfo);
        try
        {
            return JsonSerializer.Deserialize(utf8, go);
        }
        catch (JsonException ex)
        {
            throw DockerJsonErrors.Describe(ex, utf8, go);
        }
    }

    // Built on first use: the generated Default must exist first, and static initialisers of partial classes run
    // in no fixed order across files.
    private static class Go
    {
        public static readonly JsonSerializerOptions Options = Create();

        private static JsonSerializerOptions Create()
        {
            JsonSerializerOptions options = new(Default.Options)
            {
                TypeInfoResolver = Default.WithAddedModifier(GoContract.Apply),
                Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            };
            options.MakeReadOnly();
            return options;
        }
    }
}
