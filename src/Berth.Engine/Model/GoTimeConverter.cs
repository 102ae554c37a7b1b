using System.Text.Json;
using System.Text.Json.Serialization;

namespace Berth.Engine.Model;

/// <summary>Go's <c>time.Time</c> in JSON (<see cref="DockerTime"/>); <c>null</c> leaves the zero time, as in Go.</summary>
internal sealed class GoTimeConverter : JsonConverter<DateTimeOffset>
{
    public override bool HandleNull => true;

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return default;
        }
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException("Time.UnmarshalJSON: input is not a JSON string");
        }
        if (!DockerTime.TryParse(reader.GetString(), out DateTimeOffset value))
        {
            throw new JsonException("parsing time: not RFC 3339");
        }
        return value;
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        Span<char> buffer = stackalloc char[DockerTime.MaxLength];
        writer.WriteStringValue(buffer[..DockerTime.Format(value, buffer)]);
    }
}
