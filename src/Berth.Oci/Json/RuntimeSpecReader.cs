using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Berth.Oci.Runtime;

namespace Berth.Oci.Json;

/// <summary>
/// Reads config.json (and <c>process.json</c>, <c>update -r</c> resources) straight off a <see cref="Utf8JsonReader"/>,
/// without the serializer. berth-runtime parses the spec in several short-lived processes per container, and the
/// serializer's first use in a fresh NativeAOT process costs about 5 ms of metadata setup; this reader costs next to
/// nothing the first time.
/// <para>
/// It produces the same object graph as <c>JsonSerializer</c> with <see cref="OciJsonContext"/>: names matched
/// exactly or else ignoring case (<see cref="JsonMembers"/>), unknown properties skipped, a repeated property replaces
/// the earlier value, null accepted only where the serializer accepts it, numbers through the same
/// <c>Utf8JsonReader.TryGet*</c> calls. Neither comments nor trailing commas are allowed, as in the serializer.
/// </para>
/// <para>
/// Errors are not worded here. On the first problem (malformed JSON, a wrong type, an out-of-range number, a null
/// where none is allowed) the reader gives up and the document is read again by the serializer, whose exception
/// <see cref="JsonErrors"/> turns into the message: messages, paths and positions are the serializer's by
/// construction, and a broken config pays the serializer's setup only on its way to an error exit.
/// </para>
/// </summary>
internal static partial class RuntimeSpecReader
{
    /// <summary>Reads a config.json; a leading byte order mark is skipped.</summary>
    /// <exception cref="OciFormatException">As <see cref="OciJson.ReadSpec(ReadOnlySpan{byte})"/> words it.</exception>
    public static RuntimeSpec Read(ReadOnlySpan<byte> utf8, string fileName) =>
        ReadOrDescribe(utf8, fileName, ReadSpec);

    /// <summary>Reads a process document (<c>runc exec --process</c>).</summary>
    public static Process ReadProcess(ReadOnlySpan<byte> utf8, string fileName) =>
        ReadOrDescribe(utf8, fileName, ReadProcess);

    /// <summary>Reads a resources document (<c>runc update -r</c>).</summary>
    public static LinuxResources ReadResources(ReadOnlySpan<byte> utf8, string fileName) =>
        ReadOrDescribe(utf8, fileName, ReadResources);

    /// <summary>
    /// The reader alone: false where it gives up, without asking the serializer. Tests hold it against the
    /// serializer; no caller needs it otherwise.
    /// </summary>
    internal static bool TryRead(ReadOnlySpan<byte> utf8, [NotNullWhen(true)] out RuntimeSpec? spec) => TryRead(utf8, ReadSpec, out spec);

    /// <inheritdoc cref="TryRead(ReadOnlySpan{byte}, out RuntimeSpec?)"/>
    internal static bool TryRead(ReadOnlySpan<byte> utf8, [NotNullWhen(true)] out Process? process) => TryRead(utf8, ReadProcess, out process);

    /// <inheritdoc cref="TryRead(ReadOnlySpan{byte}, out RuntimeSpec?)"/>
    internal static bool TryRead(ReadOnlySpan<byte> utf8, [NotNullWhen(true)] out LinuxResources? resources) =>
        TryRead(utf8, ReadResources, out resources);

    private static bool TryRead<T>(ReadOnlySpan<byte> utf8, ObjectReader<T> read, [NotNullWhen(true)] out T? value)
        where T : class
    {
        // Default options are the serializer's: no comments, no trailing commas, depth 64.
        Utf8JsonReader reader = new(OciJson.WithoutBom(utf8));
        try
        {
            reader.Read();
            value = ReadRequiredObject(ref reader, read);
            // False at the end of the data; data after the document throws, as in the serializer.
            if (!reader.Read())
            {
                return true;
            }
        }
        catch (JsonException)
        {
            // Malformed JSON (JsonReaderException) or a value of the wrong type (Mismatch).
        }
        catch (InvalidOperationException)
        {
            // A string that is not valid UTF-8: the reader finds it only when the value is decoded.
        }
        value = null;
        return false;
    }

    private static T ReadOrDescribe<T>(ReadOnlySpan<byte> utf8, string fileName, ObjectReader<T> read) where T : class =>
        TryRead(utf8, read, out T? value) ? value : OciJson.Deserialize<T>(OciJson.WithoutBom(utf8), fileName);

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
