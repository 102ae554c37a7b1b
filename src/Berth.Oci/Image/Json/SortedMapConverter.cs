using System.Text.Json;
using System.Text.Json.Serialization;

namespace Berth.Oci.Image.Json;

/// <summary>
/// Go's <c>map[string]string</c> (labels, annotations): written with keys in Go's order whatever the dictionary's,
/// and a JSON <c>null</c> value read as <c>""</c>, as Go leaves it.
/// </summary>
internal sealed class SortedMapConverter : JsonConverter<IReadOnlyDictionary<string, string>>
{
    public override IReadOnlyDictionary<string, string>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException();
        }
        Dictionary<string, string> map = new(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string key = reader.GetString()!;
            reader.Read();
            map[key] = reader.TokenType switch
            {
                JsonTokenType.String => reader.GetString()!,
                JsonTokenType.Null => "",
                _ => throw new ImageJsonValueException($"expected a string for key {GoQuote.Quote(key)}"),
            };
        }
        return map;
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyDictionary<string, string> value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (string key in value.Keys.Order(GoMapOrder.Instance))
        {
            writer.WriteString(key, value[key]);
        }
        writer.WriteEndObject();
    }
}
