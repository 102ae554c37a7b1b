using System.Text.Json;
using Berth.Oci.Runtime;

namespace Berth.Oci.Json;

/// <summary>
/// Writes the OCI documents berth-runtime produces straight onto a <see cref="Utf8JsonWriter"/>, without the
/// serializer (whose code and metadata were a third of berth-runtime's binary, and a binary's size is start-up time).
/// <para>
/// The output is what <c>JsonSerializer</c> wrote with the former source-generated context, which was runc's output:
/// properties in the declaration order of the types (runtime-spec's Go field order), a null property left out, a
/// property marked <c>WhenWritingDefault</c> left out at its default (Go's <c>omitempty</c>), a null list element or
/// map value written as <c>null</c>, map keys sorted by their UTF-8 bytes (<see cref="Utf8Order"/>), times as Go's
/// RFC 3339 (<see cref="GoTime"/>). Go's string escaping is applied afterwards by <see cref="GoEscaping"/>, which
/// expects the writer to use <see cref="System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping"/>.
/// </para>
/// <para>
/// Each <c>Members</c> overload writes the properties of one type between braces that its caller writes. The
/// <c>JsonPropertyName</c> and <c>JsonIgnore</c> attributes on the types still declare names and omissions: the
/// differential tests hold every overload against the serializer, which follows them.
/// </para>
/// </summary>
internal static partial class OciWriter
{
    /// <summary>Writes the members of an object whose braces the caller writes.</summary>
    private delegate void ObjectWriter<in T>(Utf8JsonWriter writer, T value);

    public static void Write(Utf8JsonWriter writer, RuntimeSpec? spec) => Element(writer, spec, Members);

    private static void Members(Utf8JsonWriter writer, RuntimeSpec spec)
    {
        String(writer, "ociVersion"u8, spec.OciVersion);
        Object(writer, "process"u8, spec.Process, Members);
        Object(writer, "root"u8, spec.Root, Members);
        String(writer, "hostname"u8, spec.Hostname);
        String(writer, "domainname"u8, spec.Domainname);
        List(writer, "mounts"u8, spec.Mounts, Members);
        Object(writer, "hooks"u8, spec.Hooks, Members);
        StringMap(writer, "annotations"u8, spec.Annotations);
        Object(writer, "linux"u8, spec.Linux, Members);
    }

    private static void Members(Utf8JsonWriter writer, Root root)
    {
        String(writer, "path"u8, root.Path);
        TrueOnly(writer, "readonly"u8, root.Readonly);
    }

    // Properties. A null reference is left out, as the serializer's WhenWritingNull left it out.

    private static void String(Utf8JsonWriter writer, ReadOnlySpan<byte> name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    /// <summary>A bool that Go writes with omitempty: left out when false.</summary>
    private static void TrueOnly(Utf8JsonWriter writer, ReadOnlySpan<byte> name, bool value)
    {
        if (value)
        {
            writer.WriteBoolean(name, true);
        }
    }

    private static void Boolean(Utf8JsonWriter writer, ReadOnlySpan<byte> name, bool? value)
    {
        if (value is { } v)
        {
            writer.WriteBoolean(name, v);
        }
    }

    private static void Number(Utf8JsonWriter writer, ReadOnlySpan<byte> name, long? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
    }

    private static void Number(Utf8JsonWriter writer, ReadOnlySpan<byte> name, ulong? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
    }

    /// <summary>A number that Go writes with omitempty: left out when 0.</summary>
    private static void NonZero(Utf8JsonWriter writer, ReadOnlySpan<byte> name, long value)
    {
        if (value != 0)
        {
            writer.WriteNumber(name, value);
        }
    }

    /// <inheritdoc cref="NonZero(Utf8JsonWriter, ReadOnlySpan{byte}, long)"/>
    private static void NonZero(Utf8JsonWriter writer, ReadOnlySpan<byte> name, ulong value)
    {
        if (value != 0)
        {
            writer.WriteNumber(name, value);
        }
    }

    private static void Object<T>(Utf8JsonWriter writer, ReadOnlySpan<byte> name, T? value, ObjectWriter<T> members) where T : class
    {
        if (value is null)
        {
            return;
        }
        writer.WriteStartObject(name);
        members(writer, value);
        writer.WriteEndObject();
    }

    /// <summary>An object as a list element or map value: <c>null</c> when null.</summary>
    private static void Element<T>(Utf8JsonWriter writer, T? value, ObjectWriter<T> members) where T : class
    {
        if (value is null)
        {
            writer.WriteNullValue();
            return;
        }
        writer.WriteStartObject();
        members(writer, value);
        writer.WriteEndObject();
    }

    private static void List<T>(Utf8JsonWriter writer, ReadOnlySpan<byte> name, List<T>? list, ObjectWriter<T> members) where T : class
    {
        if (list is null)
        {
            return;
        }
        writer.WriteStartArray(name);
        foreach (T? item in list)
        {
            Element(writer, item, members);
        }
        writer.WriteEndArray();
    }

    private static void StringList(Utf8JsonWriter writer, ReadOnlySpan<byte> name, List<string>? list)
    {
        if (list is null)
        {
            return;
        }
        writer.WriteStartArray(name);
        foreach (string? item in list)
        {
            writer.WriteStringValue(item); // null as null
        }
        writer.WriteEndArray();
    }

    private static void NumberList(Utf8JsonWriter writer, ReadOnlySpan<byte> name, List<uint>? list)
    {
        if (list is null)
        {
            return;
        }
        writer.WriteStartArray(name);
        foreach (uint item in list)
        {
            writer.WriteNumberValue(item);
        }
        writer.WriteEndArray();
    }

    private static void StringMap(Utf8JsonWriter writer, ReadOnlySpan<byte> name, Dictionary<string, string>? map)
    {
        if (map is null)
        {
            return;
        }
        writer.WriteStartObject(name);
        foreach (string key in SortedKeys(map))
        {
            writer.WriteString(key, map[key]); // null as null
        }
        writer.WriteEndObject();
    }

    private static void Map<T>(Utf8JsonWriter writer, ReadOnlySpan<byte> name, Dictionary<string, T>? map, ObjectWriter<T> members) where T : class
    {
        if (map is null)
        {
            return;
        }
        writer.WriteStartObject(name);
        foreach (string key in SortedKeys(map))
        {
            writer.WritePropertyName(key);
            Element(writer, map[key], members);
        }
        writer.WriteEndObject();
    }

    // Go writes maps in sort.Strings order.
    private static string[] SortedKeys<T>(Dictionary<string, T> map)
    {
        string[] keys = [.. map.Keys];
        Array.Sort(keys, Utf8Order.Instance);
        return keys;
    }
}
