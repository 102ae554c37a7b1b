using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Berth.Oci.Json;
using Berth.Oci.Runtime;

namespace Berth.Oci;

/// <summary>
/// Reads and writes the OCI runtime documents as runc does (Go's encoding/json), without System.Text.Json's
/// serializer: berth-runtime runs as several short-lived processes per container, and a NativeAOT binary's start-up
/// time grows with its size, of which the serializer was a third.
/// <list type="bullet">
/// <item>Read: <see cref="RuntimeSpec"/> (config.json), <see cref="Process"/> (<c>exec --process</c>) and
/// <see cref="LinuxResources"/> (<c>update -r</c>), by <see cref="RuntimeSpecReader"/>: unknown properties ignored,
/// names matched case-insensitively, as Go does.</item>
/// <item>Written: those, and what the runtime reports: <see cref="ContainerState"/> and a list of them,
/// <see cref="HookState"/>, <see cref="ContainerProcessState"/>, <see cref="Features"/>, by <see cref="OciWriter"/>:
/// null properties omitted, maps with sorted keys, times as RFC 3339, and Go's string escaping (<c>&lt;</c> as
/// <c>\u003c</c>, non-ASCII raw).</item>
/// </list>
/// Other types throw <see cref="NotSupportedException"/>.
/// </summary>
public static class OciJson
{
    /// <summary>Reads a config.json from memory; errors name <c>config.json</c>.</summary>
    /// <exception cref="OciFormatException">Malformed JSON or a value of the wrong type.</exception>
    public static RuntimeSpec ReadSpec(ReadOnlySpan<byte> utf8) => RuntimeSpecReader.Read(utf8, "config.json");

    /// <summary>Reads a config.json file; errors name <paramref name="path"/> as given.</summary>
    /// <exception cref="OciFormatException">The file cannot be read, or its content is not a valid spec.</exception>
    public static RuntimeSpec ReadSpec(string path) => ReadFile<RuntimeSpec>(path);

    /// <summary>Reads a <see cref="RuntimeSpec"/>, <see cref="Process"/> or <see cref="LinuxResources"/> from a file.</summary>
    /// <exception cref="OciFormatException">The file cannot be read, or its content is not a valid document.</exception>
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

    /// <summary>
    /// Reads a <see cref="RuntimeSpec"/>, <see cref="Process"/> or <see cref="LinuxResources"/>;
    /// <paramref name="fileName"/> names it in errors.
    /// </summary>
    /// <exception cref="OciFormatException">Malformed JSON, a value of the wrong type, or <c>null</c>.</exception>
    public static T Read<T>(ReadOnlySpan<byte> utf8, string fileName)
    {
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
        throw new NotSupportedException($"{typeof(T)} is not a document that {nameof(OciJson)} reads");
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
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // GoEscaping turns its output into Go's
            Indented = true,
            IndentCharacter = indentCharacter,
            IndentSize = indentSize,
            NewLine = "\n",
        });

    /// <summary>Go's <c>json.Marshal</c>: no whitespace (hook stdin, <c>runc list --format json</c>).</summary>
    public static byte[] WriteCompact<T>(T value) =>
        Write(value, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    /// <summary>Go's <c>json.Marshal</c> into a buffer, for callers that stream.</summary>
    public static void WriteCompact<T>(IBufferWriter<byte> destination, T value) => destination.Write(WriteCompact(value));

    private static byte[] Write<T>(T value, JsonWriterOptions options)
    {
        ArrayBufferWriter<byte> buffer = new(1024);
        using (Utf8JsonWriter writer = new(buffer, options))
        {
            switch (value)
            {
                case RuntimeSpec spec: OciWriter.Write(writer, spec); break;
                case Process process: OciWriter.Write(writer, process); break;
                case LinuxResources resources: OciWriter.Write(writer, resources); break;
                case LinuxSeccomp seccomp: OciWriter.Write(writer, seccomp); break;
                case ContainerState state: OciWriter.Write(writer, state); break;
                case IEnumerable<ContainerState> states: OciWriter.Write(writer, states); break;
                case HookState state: OciWriter.Write(writer, state); break;
                case ContainerProcessState state: OciWriter.Write(writer, state); break;
                case Features features: OciWriter.Write(writer, features); break;
                case null: writer.WriteNullValue(); break;
                default: throw new NotSupportedException($"{typeof(T)} is not a document that {nameof(OciJson)} writes");
            }
        }
        return GoEscaping.Apply(buffer.WrittenSpan);
    }

    internal static ReadOnlySpan<byte> WithoutBom(ReadOnlySpan<byte> utf8) => utf8.StartsWith("\uFEFF"u8) ? utf8[3..] : utf8;

    private static string IoReason(string path, Exception ex) => ex switch
    {
        FileNotFoundException or DirectoryNotFoundException => "no such file or directory",
        UnauthorizedAccessException when Directory.Exists(path) => "is a directory",
        UnauthorizedAccessException => "permission denied",
        _ => ex.Message,
    };
}
