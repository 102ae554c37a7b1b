using System.Text.Json;

namespace Berth.Runtime;

/// <summary>
/// Reading the runtime's own small JSON documents (state.json, the init config) field by field on
/// Utf8JsonReader: no serializer metadata to build in every short-lived process.
/// </summary>
internal static class JsonFields
{
    /// <summary>Advances to the next property name; false at the end of the object.</summary>
    public static bool Next(ref Utf8JsonReader r, string document)
    {
        if (!r.Read())
            throw new JsonException($"{document}: unexpected end");
        return r.TokenType == JsonTokenType.PropertyName;
    }

    public static void Expect(ref Utf8JsonReader r, JsonTokenType type, string document)
    {
        if (!r.Read() || r.TokenType != type)
            throw new JsonException($"{document}: expected {type}");
    }

    /// <summary>Skips the value of the current property.</summary>
    public static void Skip(ref Utf8JsonReader r)
    {
        r.Read();
        r.Skip();
    }

    public static string String(ref Utf8JsonReader r)
    {
        r.Read();
        return r.GetString() ?? "";
    }

    public static bool Bool(ref Utf8JsonReader r)
    {
        r.Read();
        return r.GetBoolean();
    }

    public static int Int(ref Utf8JsonReader r)
    {
        r.Read();
        return r.GetInt32();
    }

    public static uint UInt(ref Utf8JsonReader r)
    {
        r.Read();
        return r.GetUInt32();
    }

    public static ulong ULong(ref Utf8JsonReader r)
    {
        r.Read();
        return r.GetUInt64();
    }

    public static List<string> StringList(ref Utf8JsonReader r, string document)
    {
        var list = new List<string>();
        Expect(ref r, JsonTokenType.StartArray, document);
        while (r.Read() && r.TokenType != JsonTokenType.EndArray)
            list.Add(r.GetString() ?? "");
        return list;
    }

    public static Dictionary<string, string> Map(ref Utf8JsonReader r, string document)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        Expect(ref r, JsonTokenType.StartObject, document);
        while (Next(ref r, document))
        {
            string key = r.GetString()!;
            map[key] = String(ref r);
        }
        return map;
    }

    public static void WriteMap(Utf8JsonWriter w, string name, IReadOnlyDictionary<string, string> map)
    {
        w.WriteStartObject(name);
        foreach (var (k, v) in map)
            w.WriteString(k, v);
        w.WriteEndObject();
    }

    public static void WriteStrings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
            w.WriteStringValue(v);
        w.WriteEndArray();
    }
}
