using System.Text.Json;
using System.Text.Json.Serialization;

namespace Berth.Engine.Model;

/// <summary>
/// Go's <c>[2]uint</c> terminal size <c>[height, width]</c> (<c>HostConfig.ConsoleSize</c>, exec's
/// <c>ConsoleSize</c>), read as Go reads into an array: always two elements, missing ones zero, extra ones dropped,
/// <c>null</c> elements zero.
/// </summary>
internal sealed class ConsoleSizeConverter : JsonConverter<uint[]>
{
    public override uint[]? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("expected an array of two numbers");
        }
        uint[] size = new uint[2];
        int i = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (i < 2)
            {
                size[i++] = reader.TokenType == JsonTokenType.Null ? 0 : reader.GetUInt32();
            }
            else
            {
                reader.Skip();
            }
        }
        return size;
    }

    public override void Write(Utf8JsonWriter writer, uint[] value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        writer.WriteNumberValue(value.Length > 0 ? value[0] : 0);
        writer.WriteNumberValue(value.Length > 1 ? value[1] : 0);
        writer.WriteEndArray();
    }
}
