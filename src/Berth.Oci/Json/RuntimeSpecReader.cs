using System.Text.Json;
using Berth.Oci.Runtime;

namespace Berth.Oci.Json;

/// <summary>
/// Reads config.json (and <c>process.json</c>, <c>update -r</c> resources) straight off a <see cref="Utf8JsonReader"/>,
/// without the serializer. berth-runtime parses the spec in several short-lived processes per container; this reader
/// costs next to nothing the first time, and keeps the serializer out of the binary.
/// <para>
/// It reads as System.Text.Json's serializer read with Go's conventions (the tests hold it against the serializer):
/// names matched exactly or else ignoring case (<see cref="JsonMembers"/>), unknown properties skipped, a repeated
/// property replaces the earlier value, null accepted only for nullable properties and list elements, numbers through
/// the <c>Utf8JsonReader.TryGet*</c> calls of the serializer's converters. Neither comments nor trailing commas are
/// allowed, and nesting is limited to 64 levels.
/// </para>
/// <para>
/// The first problem ends reading: malformed JSON (the reader's <see cref="JsonException"/>), or a value of the wrong
/// type, out of range, null where none is allowed, or a string that does not decode (<see cref="InvalidValueException"/>
/// at the value's token). <see cref="JsonErrors"/> words either as an <see cref="OciFormatException"/> with the JSON
/// path, line and column.
/// </para>
/// </summary>
internal static partial class RuntimeSpecReader
{
    /// <summary>Reads a config.json; a leading byte order mark is skipped.</summary>
    /// <exception cref="OciFormatException">As <see cref="OciJson.ReadSpec(ReadOnlySpan{byte})"/> words it.</exception>
    public static RuntimeSpec Read(ReadOnlySpan<byte> utf8, string fileName) => Read(utf8, fileName, ReadSpec);

    /// <summary>Reads a process document (<c>runc exec --process</c>).</summary>
    public static Process ReadProcess(ReadOnlySpan<byte> utf8, string fileName) => Read(utf8, fileName, ReadProcess);

    /// <summary>Reads a resources document (<c>runc update -r</c>).</summary>
    public static LinuxResources ReadResources(ReadOnlySpan<byte> utf8, string fileName) => Read(utf8, fileName, ReadResources);

    private static T Read<T>(ReadOnlySpan<byte> utf8, string fileName, ObjectReader<T> read) where T : class
    {
        // Default options are the serializer's: no comments, no trailing commas, depth 64.
        ReadOnlySpan<byte> json = OciJson.WithoutBom(utf8);
        Utf8JsonReader reader = new(json);
        try
        {
            reader.Read();
            T value = ReadRequiredObject(ref reader, read);
            // False at the end of the data; data after the document throws (true would be a reader allowing more).
            return reader.Read() ? throw new InvalidValueException(reader.TokenStartIndex, "data after the document") : value;
        }
        catch (InvalidValueException ex)
        {
            throw JsonErrors.InvalidValue(fileName, json, ex);
        }
        catch (JsonException ex)
        {
            throw JsonErrors.Malformed(fileName, json, ex);
        }
    }

    private static readonly JsonMembers SpecMembers = new(
        "ociVersion", "process", "root", "hostname", "domainname", "mounts", "hooks", "annotations", "linux");

    private static RuntimeSpec ReadSpec(ref Utf8JsonReader reader)
    {
        RuntimeSpec spec = new();
        while (SpecMembers.Next(ref reader, out string name))
        {
            switch (name)
            {
                case "ociVersion": spec.OciVersion = ReadString(ref reader); break;
                case "process": spec.Process = ReadObject(ref reader, ReadProcess); break;
                case "root": spec.Root = ReadObject(ref reader, ReadRoot); break;
                case "hostname": spec.Hostname = ReadNullableString(ref reader); break;
                case "domainname": spec.Domainname = ReadNullableString(ref reader); break;
                case "mounts": spec.Mounts = ReadList(ref reader, ReadMount); break;
                case "hooks": spec.Hooks = ReadObject(ref reader, ReadHooks); break;
                case "annotations": spec.Annotations = ReadStringMap(ref reader); break;
                case "linux": spec.Linux = ReadObject(ref reader, ReadLinux); break;
            }
        }
        return spec;
    }

    private static readonly JsonMembers RootMembers = new("path", "readonly");

    private static Root ReadRoot(ref Utf8JsonReader reader)
    {
        Root root = new();
        while (RootMembers.Next(ref reader, out string name))
        {
            switch (name)
            {
                case "path": root.Path = ReadString(ref reader); break;
                case "readonly": root.Readonly = ReadBool(ref reader); break;
            }
        }
        return root;
    }
}
