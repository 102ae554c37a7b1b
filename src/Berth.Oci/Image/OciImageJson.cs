using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Berth.Oci.Image.Json;

namespace Berth.Oci.Image;

/// <summary>
/// Reads and writes the image documents (<see cref="ImageManifest"/>, <see cref="ImageIndex"/>,
/// <see cref="ImageConfig"/>, and a lone <see cref="Descriptor"/> or <see cref="Platform"/>) as Docker and the OCI tools
/// do, with Go's encoding/json.
/// <list type="bullet">
/// <item>Read: tolerant (unknown properties ignored, names case-insensitive, JSON null as Go reads it), strict about
/// types and digests; errors name the document and the JSON path. Manifests and indexes are also validated.</item>
/// <item>Written: Go's omitempty, properties in the order of the Go structs (a config's top level sorted, as Docker
/// writes it; a Docker manifest's descriptors with <c>size</c> before <c>digest</c>), maps with sorted keys, times
/// with nanoseconds, and Go's escaping (<c>&amp;&amp;</c> as <c>\u0026\u0026</c>).</item>
/// </list>
/// Identity is in bytes, never in values: use <see cref="ReadDocument{T}"/> to keep what was read, and take digests of
/// stored bytes only. Writing what was read gives the same bytes when the writer was Docker or BuildKit and the
/// document uses only the fields modelled here.
/// </summary>
public static class OciImageJson
{
    private static readonly JsonSerializerOptions Oci = Options(docker: false);
    private static readonly JsonSerializerOptions Docker = Options(docker: true);

    /// <summary>Reads a document; <paramref name="what"/> names it in errors (<c>manifest sha256:…</c>, <c>index.json</c>).</summary>
    /// <exception cref="OciFormatException">Malformed JSON, a value of the wrong type, a bad digest, or (manifests and
    /// indexes) a document that fails <see cref="ImageManifest.Validate"/> / <see cref="ImageIndex.Validate"/>.</exception>
    public static T Read<T>(ReadOnlySpan<byte> utf8, string what)
        where T : class
    {
        T? value;
        try
        {
            value = JsonSerializer.Deserialize(utf8, TypeInfo<T>(Oci));
        }
        catch (JsonException ex)
        {
            throw ImageJsonErrors.Describe(ex, utf8, what, Oci, typeof(T));
        }
        switch (value)
        {
            case null:
                throw new OciFormatException($"{what}: invalid document: null", what, "$");
            case ImageManifest manifest:
                manifest.Validate(what);
                break;
            case ImageIndex index:
                index.Validate(what);
                break;
        }
        return value;
    }

    /// <summary>Reads a document and keeps its bytes and digest (for a config, the image ID).</summary>
    /// <exception cref="OciFormatException">As <see cref="Read{T}"/>.</exception>
    public static ImageDocument<T> ReadDocument<T>(ReadOnlyMemory<byte> utf8, string what)
        where T : class => new(Read<T>(utf8.Span, what), utf8);

    /// <summary>Go's <c>json.Marshal</c>: compact, no trailing newline (how configs are written).</summary>
    public static byte[] Write<T>(T value)
        where T : class => Write(value, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    /// <summary>
    /// Go's <c>json.MarshalIndent(v, "", indent)</c> with <paramref name="indentSize"/> spaces: Docker's registry and
    /// tools write manifests and manifest lists with 3, BuildKit and containerd OCI manifests and indexes with 2.
    /// </summary>
    public static byte[] WriteIndented<T>(T value, int indentSize)
        where T : class => Write(value, new JsonWriterOptions
        {
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // GoEscaping turns its output into Go's
            Indented = true,
            IndentCharacter = ' ',
            IndentSize = indentSize,
            NewLine = "\n",
        });

    private static byte[] Write<T>(T value, JsonWriterOptions writerOptions)
        where T : class
    {
        JsonSerializerOptions options = value is ImageManifest { IsDocker: true } or ImageIndex { IsDocker: true } ? Docker : Oci;
        ArrayBufferWriter<byte> buffer = new(1024);
        using (Utf8JsonWriter writer = new(buffer, writerOptions))
        {
            JsonSerializer.Serialize(writer, value, TypeInfo<T>(options));
        }
        return Berth.Oci.Json.GoEscaping.Apply(buffer.WrittenSpan, shortBackspaceAndFormFeed: true);
    }

    private static JsonTypeInfo<T> TypeInfo<T>(JsonSerializerOptions options) =>
        options.TryGetTypeInfo(typeof(T), out JsonTypeInfo? info)
            ? (JsonTypeInfo<T>)info
            : throw new NotSupportedException($"{typeof(T).Name} is not an image document");

    private static JsonSerializerOptions Options(bool docker)
    {
        IJsonTypeInfoResolver resolver = OciImageJsonContext.Default.WithAddedModifier(GoOmitEmpty.Apply);
        if (docker)
        {
            resolver = resolver.WithAddedModifier(DockerDescriptorOrder.Apply);
        }
        JsonSerializerOptions options = new(OciImageJsonContext.Default.Options) { TypeInfoResolver = resolver };
        options.MakeReadOnly();
        return options;
    }
}
