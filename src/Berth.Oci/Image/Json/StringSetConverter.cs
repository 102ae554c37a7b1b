using System.Text.Json;
using System.Text.Json.Serialization;

namespace Berth.Oci.Image.Json;

/// <summary>
/// Go's <c>map[string]struct{}</c> (ExposedPorts, Volumes): a set of keys written as <c>{"80/tcp":{}}</c>, in Go's
/// key order. A value is read as Go reads <c>struct{}</c>: any object, or null.
/// </summary>
internal sealed class StringSetConverter : JsonConverter<IReadOnlySet<string>>
{
    public override IReadOnlySet<string>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException();
        }
        SortedSet<string> set = new(GoMapOrder.Instance);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string key = reader.GetString()!;
            reader.Read();
            if (reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.Null))
            {
                throw new ImageJsonValueException("expected {} for each key");
            }
            reader.Skip();
            set.Add(key);
        }
        return set;
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlySet<string> value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (string key in value.Order(GoMapOrder.Instance))
        {
            writer.WritePropertyName(key);
            writer.WriteStartObject();
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
    }
}
