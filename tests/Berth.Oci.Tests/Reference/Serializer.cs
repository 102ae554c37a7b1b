using System.Text.Encodings.Web;
using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Berth.Oci.Runtime;

namespace Berth.Oci.Tests.Reference;

/// <summary>
/// System.Text.Json's serializer with <see cref="OciJsonContext"/> and Go-style escaping: how Berth.Oci read
/// and wrote before its own reader and writer, checked against runc then, and the oracle they are compared with now.
/// </summary>
internal static class Serializer
{
    /// <summary>What the serializer made of a document: a value, or where it failed.</summary>
    /// <param name="Path">The JSON path of the failure, as the serializer gave it (plus the map key it lost).</param>
    /// <param name="Malformed">The failure is the JSON reader's: the text is not JSON.</param>
    public sealed record Outcome<T>(T? Value, string? Path, bool Malformed, JsonException? Error) where T : class;

    public static Outcome<T> Read<T>(ReadOnlySpan<byte> utf8) where T : class
    {
        if (utf8.StartsWith("\uFEFF"u8))
        {
            utf8 = utf8[3..];
        }
        try
        {
            T? value = JsonSerializer.Deserialize(utf8, TypeInfo<T>());
            return value is null ? new Outcome<T>(null, "$", false, null) : new Outcome<T>(value, null, false, null);
        }
        catch (JsonException ex)
        {
            string path = (ex.Path ?? "$") + (ex is MapValueException map ? map.RelativePath : "");
            JsonException cause = ex is MapValueException { InnerException: JsonException inner } ? inner : ex;
            // The serializer rethrows the reader's exception (internal JsonReaderException) with the path added.
            bool malformed = cause.GetType().Name == "JsonReaderException" || cause.InnerException?.GetType().Name == "JsonReaderException";
            return new Outcome<T>(null, path, malformed, ex);
        }
    }

    /// <summary>Reads what must be valid.</summary>
    public static T ReadValid<T>(ReadOnlySpan<byte> utf8) where T : class =>
        Read<T>(utf8) is { Value: { } value } ? value : throw new InvalidOperationException($"the serializer refuses the {typeof(T).Name}");

    // Go's escaping is applied by the same post-processing as the product's writer (GoEscaping):
    // the oracle checks structure, order and omission; GoJsonTests pins the escapes themselves.
    public static byte[] WriteIndented<T>(T value, char indentCharacter = '\t', int indentSize = 1) =>
        Write(value, new JsonWriterOptions
        {
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            Indented = true,
            IndentCharacter = indentCharacter,
            IndentSize = indentSize,
            NewLine = "\n",
        });

    public static byte[] WriteCompact<T>(T value) => Write(value, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    private static byte[] Write<T>(T value, JsonWriterOptions options)
    {
        ArrayBufferWriter<byte> buffer = new(1024);
        using (Utf8JsonWriter writer = new(buffer, options))
        {
            JsonSerializer.Serialize(writer, value, TypeInfo<T>());
        }
        return Berth.Oci.Json.GoEscaping.Apply(buffer.WrittenSpan);
    }

    private static JsonTypeInfo<T> TypeInfo<T>() =>
        OciJsonContext.Default.GetTypeInfo(typeof(T)) as JsonTypeInfo<T>
        ?? throw new NotSupportedException($"{typeof(T)} is not registered in {nameof(OciJsonContext)}");
}
