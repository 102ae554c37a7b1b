using System.Text.Json;
using System.Text.Json.Serialization;

namespace Berth.Engine.Model;

/// <summary>
/// Docker's <c>strslice.StrSlice</c> (<c>Cmd</c>, <c>Entrypoint</c>, <c>Shell</c>, <c>CapAdd</c>, <c>CapDrop</c>):
/// read from an array of strings or from a single string (<c>"Cmd": "echo hi"</c> is <c>["echo hi"]</c>), written
/// as an array.
/// </summary>
internal sealed class StrSliceConverter : JsonConverter<List<string>>
{
    public override List<string>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return [reader.GetString()!];
            case JsonTokenType.StartArray:
                List<string> list = [];
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    // A null element is Go's zero string.
                    list.Add(reader.TokenType == JsonTokenType.Null ? "" : reader.GetString()!);
                }
                return list;
            default:
                throw new JsonException("expected a string or an array of strings");
        }
    }

    public override void Write(Utf8JsonWriter writer, List<string> value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (string item in value)
        {
            writer.WriteStringValue(item);
        }
        writer.WriteEndArray();
    }
}
