using System.Text.Json;

namespace Berth.Oci.Json;

// Values as the serializer's converters read them, on the value's first token. Each helper accepts exactly the
// tokens the converter accepts (numbers through the same TryGet* calls, so the same range and format checks) and
// throws Mismatch where the serializer would throw. Null is allowed for nullable properties and list elements
// (RespectNullableAnnotations covers properties only), refused for value types and for map values (as Go would store
// a zero value there, which helps no one).
internal static partial class RuntimeSpecReader
{
    /// <summary>Reads an object whose <c>StartObject</c> is the current token, and leaves the reader on its <c>EndObject</c>.</summary>
    private delegate T ObjectReader<T>(ref Utf8JsonReader reader);

    private static bool IsNull(ref Utf8JsonReader reader) => reader.TokenType == JsonTokenType.Null;

    private static T? ReadObject<T>(ref Utf8JsonReader reader, ObjectReader<T> read) where T : class =>
        IsNull(ref reader) ? null : ReadRequiredObject(ref reader, read);

    private static T ReadRequiredObject<T>(ref Utf8JsonReader reader, ObjectReader<T> read) where T : class =>
        reader.TokenType == JsonTokenType.StartObject ? read(ref reader) : throw Mismatch(ref reader, "object");

    private static string ReadString(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.String ? Decode(ref reader) : throw Mismatch(ref reader, "string");

    // The string or property name the reader is on.
    private static string Decode(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            // Not UTF-8, or a lone surrogate escape (\ud800).
            throw reader.TokenType == JsonTokenType.PropertyName
                ? new InvalidValueException(reader.TokenStartIndex, "key cannot be decoded")
                : Mismatch(ref reader, "string");
        }
    }

    private static string? ReadNullableString(ref Utf8JsonReader reader) =>
        IsNull(ref reader) ? null : ReadString(ref reader);

    private static bool ReadBool(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        _ => throw Mismatch(ref reader, "boolean"),
    };

    private static bool? ReadNullableBool(ref Utf8JsonReader reader) => IsNull(ref reader) ? null : ReadBool(ref reader);

    private static ushort? ReadNullableUInt16(ref Utf8JsonReader reader) =>
        IsNull(ref reader) ? null : IsNumber(ref reader) && reader.TryGetUInt16(out ushort value) ? value : throw Mismatch(ref reader, "uint16");

    private static int ReadInt32(ref Utf8JsonReader reader) =>
        IsNumber(ref reader) && reader.TryGetInt32(out int value) ? value : throw Mismatch(ref reader, "int32");

    private static int? ReadNullableInt32(ref Utf8JsonReader reader) => IsNull(ref reader) ? null : ReadInt32(ref reader);

    private static uint ReadUInt32(ref Utf8JsonReader reader) =>
        IsNumber(ref reader) && reader.TryGetUInt32(out uint value) ? value : throw Mismatch(ref reader, "uint32");

    private static uint? ReadNullableUInt32(ref Utf8JsonReader reader) => IsNull(ref reader) ? null : ReadUInt32(ref reader);

    private static long ReadInt64(ref Utf8JsonReader reader) =>
        IsNumber(ref reader) && reader.TryGetInt64(out long value) ? value : throw Mismatch(ref reader, "int64");

    private static long? ReadNullableInt64(ref Utf8JsonReader reader) => IsNull(ref reader) ? null : ReadInt64(ref reader);

    private static ulong ReadUInt64(ref Utf8JsonReader reader) =>
        IsNumber(ref reader) && reader.TryGetUInt64(out ulong value) ? value : throw Mismatch(ref reader, "uint64");

    private static ulong? ReadNullableUInt64(ref Utf8JsonReader reader) => IsNull(ref reader) ? null : ReadUInt64(ref reader);

    private static bool IsNumber(ref Utf8JsonReader reader) => reader.TokenType == JsonTokenType.Number;

    /// <summary>A list of objects; a null element stays null, as the serializer leaves it.</summary>
    private static List<T>? ReadList<T>(ref Utf8JsonReader reader, ObjectReader<T> read) where T : class
    {
        if (!StartList(ref reader))
        {
            return null;
        }
        List<T> list = [];
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            list.Add(ReadObject(ref reader, read)!);
        }
        return list;
    }

    /// <summary>A list of strings; a null element stays null, as the serializer leaves it.</summary>
    private static List<string>? ReadStringList(ref Utf8JsonReader reader)
    {
        if (!StartList(ref reader))
        {
            return null;
        }
        List<string> list = [];
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            list.Add(ReadNullableString(ref reader)!);
        }
        return list;
    }

    private static List<string> ReadRequiredStringList(ref Utf8JsonReader reader) =>
        IsNull(ref reader) ? throw Mismatch(ref reader, "array") : ReadStringList(ref reader)!;

    private static List<uint>? ReadUInt32List(ref Utf8JsonReader reader)
    {
        if (!StartList(ref reader))
        {
            return null;
        }
        List<uint> list = [];
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            list.Add(ReadUInt32(ref reader));
        }
        return list;
    }

    // False for null; true on the StartArray of a list.
    private static bool StartList(ref Utf8JsonReader reader) =>
        !IsNull(ref reader) && (reader.TokenType == JsonTokenType.StartArray ? true : throw Mismatch(ref reader, "array"));

    /// <summary>A map: keys compared ordinally, a repeated key's last value kept (as in Go), no null values.</summary>
    private static Dictionary<string, T>? ReadMap<T>(ref Utf8JsonReader reader, ObjectReader<T> read) where T : class
    {
        if (!StartMap(ref reader))
        {
            return null;
        }
        Dictionary<string, T> map = new(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            string key = Decode(ref reader);
            reader.Read();
            map[key] = ReadRequiredObject(ref reader, read);
        }
        return map;
    }

    private static Dictionary<string, string>? ReadStringMap(ref Utf8JsonReader reader)
    {
        if (!StartMap(ref reader))
        {
            return null;
        }
        Dictionary<string, string> map = new(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            string key = Decode(ref reader);
            reader.Read();
            map[key] = ReadString(ref reader);
        }
        return map;
    }

    // False for null; true on the StartObject of a map.
    private static bool StartMap(ref Utf8JsonReader reader) =>
        !IsNull(ref reader) && (reader.TokenType == JsonTokenType.StartObject ? true : throw Mismatch(ref reader, "object"));

    /// <summary>The value the reader is on is not what the document needs there.</summary>
    private static InvalidValueException Mismatch(ref Utf8JsonReader reader, string expected) =>
        new(reader.TokenStartIndex, $"expected {expected}, got {JsonErrors.Describe(ref reader)}");
}
