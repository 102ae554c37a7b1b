using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Berth.Oci.Json;
using Berth.Oci.Runtime;

namespace Berth.Oci;

/// <summary>
/// Reads and writes the OCI runtime types as runc does (Go's encoding/json): see <see cref="OciJsonContext"/>
/// for the conventions, plus Go's string escaping (<c>&lt;</c> as <c>\u003c</c>, non-ASCII raw). Any type
/// registered in <see cref="OciJsonContext"/> can be read and written; others throw NotSupportedException.
/// <see cref="RuntimeSpec"/>, <see cref="Process"/> and <see cref="LinuxResources"/>, which berth-runtime reads in
/// every short-lived process, are read by <see cref="RuntimeSpecReader"/> to the same result without the serializer.
/// </summary>
public static class OciJson
{
    private static readonly JsonWriterOptions CompactOptions = new() { Encoder = GoJsonEncoder.Instance };

    /// <summary>Reads a config.json from memory; errors name <c>config.json</c>.</summary>
    /// <exception cref="OciFormatException">Malformed JSON or a value of the wrong type.</exception>
    public static RuntimeSpec ReadSpec(ReadOnlySpan<byte> utf8) => RuntimeSpecReader.Read(utf8, "config.json");

    /// <summary>Reads a config.json file; errors name <paramref name="path"/> as given.</summary>
    /// <exception cref="OciFormatException">The file cannot be read, or its content is not a valid spec.</exception>
    public static RuntimeSpec ReadSpec(string path) => ReadFile<RuntimeSpec>(path);

    /// <summary>Reads a document of any registered type from a file.</summary>
    public static T ReadFile<T>(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new OciFormatException($"{path}: {IoReason(path, ex)}", path, innerException: ex);
        }
        return Read<T>(bytes, path);
    }

    /// <summary>Reads a document of any registered type; <paramref name="fileName"/> names it in errors.</summary>
    /// <exception cref="OciFormatException">Malformed JSON, a value of the wrong type, or <c>null</c>.</exception>
    public static T Read<T>(ReadOnlySpan<byte> utf8, string fileName)
    {
        // The runtime's own documents skip the serializer, whose first use costs about 5 ms in a fresh process.
        if (typeof(T) == typeof(RuntimeSpec))
        {
            return (T)(object)RuntimeSpecReader.Read(utf8, fileName);
        }
        if (typeof(T) == typeof(Process))
        {
            return (T)(object)RuntimeSpecReader.ReadProcess(utf8, fileName);
        }
        if (typeof(T) == typeof(LinuxResources))
        {
            return (T)(object)RuntimeSpecReader.ReadResources(utf8, fileName);
        }
        return Deserialize<T>(WithoutBom(utf8), fileName);
    }

    /// <summary>The serializer's reading of any registered type, bypassing <see cref="RuntimeSpecReader"/>: the reference in tests.</summary>
    internal static T ReadWithSerializer<T>(ReadOnlySpan<byte> utf8, string fileName) => Deserialize<T>(WithoutBom(utf8), fileName);

    internal static ReadOnlySpan<byte> WithoutBom(ReadOnlySpan<byte> utf8) => utf8.StartsWith("\uFEFF"u8) ? utf8[3..] : utf8;

    /// <summary>Reads with the serializer and words its failures; <paramref name="utf8"/> has no byte order mark.</summary>
    internal static T Deserialize<T>(ReadOnlySpan<byte> utf8, string fileName)
    {
        JsonTypeInfo<T> info = TypeInfo<T>();
        T? value;
        try
        {
            value = JsonSerializer.Deserialize(utf8, info);
        }
        catch (JsonException ex)
        {
            throw JsonErrors.Describe(fileName, utf8, ex, info);
        }
        return value ?? throw new OciFormatException($"{fileName}: invalid value at $: expected object, got null", fileName, "$");
    }

    /// <summary>
    /// Go's <c>json.MarshalIndent(v, "", "\t")</c>, the format of <c>runc spec</c>'s config.json. No trailing newline.
    /// </summary>
    public static byte[] WriteIndented<T>(T value) => WriteIndented(value, '\t', 1);

    /// <summary>
    /// Indented with <paramref name="indentSize"/> of <paramref name="indentCharacter"/> (space or tab) per level:
    /// <c>runc state</c> uses two spaces, <c>runc features</c> four. No trailing newline.
    /// </summary>
    public static byte[] WriteIndented<T>(T value, char indentCharacter, int indentSize) =>
        Write(value, new JsonWriterOptions
        {
            Encoder = GoJsonEncoder.Instance,
            Indented = true,
            IndentCharacter = indentCharacter,
            IndentSize = indentSize,
            NewLine = "\n",
        });

    /// <summary>Go's <c>json.Marshal</c>: no whitespace (hook stdin, <c>runc list --format json</c>).</summary>
    public static byte[] WriteCompact<T>(T value) => Write(value, CompactOptions);

    /// <summary>Go's <c>json.Marshal</c> into a buffer, for callers that stream.</summary>
    public static void WriteCompact<T>(IBufferWriter<byte> destination, T value)
    {
        using Utf8JsonWriter writer = new(destination, CompactOptions);
        JsonSerializer.Serialize(writer, value, TypeInfo<T>());
    }

    private static byte[] Write<T>(T value, JsonWriterOptions options)
    {
        ArrayBufferWriter<byte> buffer = new(1024);
        using (Utf8JsonWriter writer = new(buffer, options))
        {
            JsonSerializer.Serialize(writer, value, TypeInfo<T>());
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static JsonTypeInfo<T> TypeInfo<T>() =>
        OciJsonContext.Default.GetTypeInfo(typeof(T)) as JsonTypeInfo<T>
        ?? throw new NotSupportedException($"{typeof(T)} is not registered in {nameof(OciJsonContext)}");

    private static string IoReason(string path, Exception ex) => ex switch
    {
        FileNotFoundException or DirectoryNotFoundException => "no such file or directory",
        UnauthorizedAccessException when Directory.Exists(path) => "is a directory",
        UnauthorizedAccessException => "permission denied",
        _ => ex.Message,
    };
}
