using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Berth.Oci.Json;

namespace Berth.Oci.Tests.Reference;

/// <summary>
/// <c>Dictionary&lt;string, TValue&gt;</c> written as Go writes a map: keys sorted by their UTF-8 bytes.
/// Read like any JSON object (a repeated key: the last value wins, as in Go). An error inside a value is
/// rethrown as <see cref="MapValueException"/> carrying the key and the path inside the value.
/// </summary>
internal sealed class GoMapConverter<TValue> : JsonConverter<Dictionary<string, TValue>>
{
    public override Dictionary<string, TValue> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException();
        }
        JsonTypeInfo<TValue> valueInfo = ValueInfo(options);
        Dictionary<string, TValue> map = new(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            string key = reader.GetString()!;
            reader.Read();
            try
            {
                map[key] = JsonSerializer.Deserialize(ref reader, valueInfo)
                    ?? throw new JsonException(null); // Go would store the zero value; a null entry helps no one
            }
            catch (JsonException ex)
            {
                throw new MapValueException(key, ex);
            }
        }
        return map;
    }

    public override void Write(Utf8JsonWriter writer, Dictionary<string, TValue> value, JsonSerializerOptions options)
    {
        JsonTypeInfo<TValue> valueInfo = ValueInfo(options);
        string[] keys = [.. value.Keys];
        Array.Sort(keys, ReferenceUtf8Order.Instance);
        writer.WriteStartObject();
        foreach (string key in keys)
        {
            writer.WritePropertyName(key);
            JsonSerializer.Serialize(writer, value[key], valueInfo);
        }
        writer.WriteEndObject();
    }

    private static JsonTypeInfo<TValue> ValueInfo(JsonSerializerOptions options) =>
        (JsonTypeInfo<TValue>)options.GetTypeInfo(typeof(TValue));
}

/// <summary>A value of a map entry could not be read.</summary>
internal sealed class MapValueException(string key, JsonException inner) : JsonException(inner.Message, inner)
{
    /// <summary>Path of the failure below the map: <c>.key</c> or <c>['key']</c>, then the path inside the value.</summary>
    public string RelativePath { get; } = JsonPaths.Member(key) + (inner.Path is { Length: > 1 } p ? p[1..] : "");
}

/// <summary>String order of Go's sort.Strings: by UTF-8 bytes, which is code point order. The reference's own copy of Berth.Oci's.</summary>
internal sealed class ReferenceUtf8Order : IComparer<string>
{
    public static readonly ReferenceUtf8Order Instance = new();

    public int Compare(string? x, string? y)
    {
        int length = Math.Min(x!.Length, y!.Length);
        for (int i = 0; i < length; i++)
        {
            char a = x[i], b = y[i];
            if (a != b)
            {
                return CodePointRank(a) - CodePointRank(b);
            }
        }
        return x.Length - y.Length;
    }

    // UTF-16 order differs from code point order only in that surrogates (U+D800-DFFF, which stand for
    // U+10000 and above) sort below U+E000-FFFF: move them above.
    private static int CodePointRank(char c) => c >= 0xE000 ? c - 0x800 : char.IsSurrogate(c) ? c + 0x2000 : c;
}
