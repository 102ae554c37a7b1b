using System.Text.Json;
using System.Text.Json.Serialization;

namespace Berth.Oci.Image.Json;

/// <summary><see cref="Timestamp"/> as Go's <c>time.Time</c>: an RFC 3339 string with nanoseconds.</summary>
internal sealed class TimestampConverter : JsonConverter<Timestamp>
{
    public override Timestamp Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException();
        }
        string text = reader.GetString()!;
        return Timestamp.TryParse(text, out Timestamp value)
            ? value
            : throw new ImageJsonValueException($"invalid time {GoQuote.Quote(text)}: expected RFC 3339 (2006-01-02T15:04:05Z)");
    }

    public override void Write(Utf8JsonWriter writer, Timestamp value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}
