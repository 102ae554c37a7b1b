using System.Text.Json;
using System.Text.Json.Serialization;

namespace Berth.Oci.Image.Json;

/// <summary>
/// Strings as Go's encoding/json treats them: JSON <c>null</c> leaves a Go string empty, so it reads as <c>""</c>
/// (which an omitempty field then leaves out), and a null .NET string is written as <c>""</c> where Go always writes
/// the field. No string read from an image document is ever null.
/// </summary>
internal sealed class GoStringConverter : JsonConverter<string>
{
    public override bool HandleNull => true;

    public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString()!,
            JsonTokenType.Null => "",
            _ => throw new JsonException(), // worded by ImageJsonErrors: "expected string, got ..."
        };

    public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value ?? "");
}
