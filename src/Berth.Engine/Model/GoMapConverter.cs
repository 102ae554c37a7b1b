using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Berth.Engine.Model;

/// <summary>
/// Go's <c>map[string]T</c>: written with its keys in Go's order (sorted by UTF-8 bytes) whatever the dictionary's
/// order; read with the last of duplicate keys winning. A JSON <c>null</c> value is read as Go stores it: null for a
/// map of pointers, slices, maps or interfaces, the zero value for a map of plain values
/// (<see cref="GoStringMapConverter"/>, <see cref="GoValueMapConverter{T}"/>).
/// </summary>
internal class GoMapConverter<TValue> : JsonConverter<Dictionary<string, TValue>>
{
    /// <summary>Go's zero value for a map of plain values; null (no zero value) for pointers, slices, maps and interfaces.</summary>
    protected virtual bool TryGetZeroValue(out TValue value)
    {
        value = default!;
        return false;
    }

    public override Dictionary<string, TValue>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("expected an object");
        }
        JsonTypeInfo<TValue> valueInfo = (JsonTypeInfo<TValue>)options.GetTypeInfo(typeof(TValue));
        Dictionary<string, TValue> map = new(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string key = reader.GetString()!;
            reader.Read();
            if (reader.TokenType == JsonTokenType.Null && TryGetZeroValue(out TValue zero))
            {
                map[key] = zero;
                continue;
            }
            try
            {
                map[key] = JsonSerializer.Deserialize(ref reader, valueInfo)!;
            }
            catch (JsonException inner)
            {
                // The nested call's path starts again at "$": keep it for the error message.
                throw DockerJsonErrors.InMapValue(inner, key);
            }
        }
        return map;
    }

    public override void Write(Utf8JsonWriter writer, Dictionary<string, TValue> value, JsonSerializerOptions options)
    {
        JsonTypeInfo<TValue> valueInfo = (JsonTypeInfo<TValue>)options.GetTypeInfo(typeof(TValue));
        string[] keys = [.. value.Keys];
        Array.Sort(keys, Berth.Oci.Json.Utf8Order.Instance);
        writer.WriteStartObject();
        foreach (string key in keys)
        {
            writer.WritePropertyName(key);
            JsonSerializer.Serialize(writer, value[key], valueInfo);
        }
        writer.WriteEndObject();
    }
}

/// <summary><c>map[string]string</c>: a null value is <c>""</c>.</summary>
internal sealed class GoStringMapConverter : GoMapConverter<string>
{
    protected override bool TryGetZeroValue(out string value)
    {
        value = "";
        return true;
    }
}

/// <summary>A map of Go structs held by value (<c>map[string]NetworkStats</c>, <c>map[string]struct{}</c>): a null value is an empty struct.</summary>
internal sealed class GoValueMapConverter<T> : GoMapConverter<T>
    where T : new()
{
    protected override bool TryGetZeroValue(out T value)
    {
        value = new();
        return true;
    }
}
