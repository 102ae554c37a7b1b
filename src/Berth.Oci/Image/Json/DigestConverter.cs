using System.Text.Json;
using System.Text.Json.Serialization;

namespace Berth.Oci.Image.Json;

/// <summary>
/// <see cref="Digest"/> as its string. A malformed digest is refused while reading, with go-digest's reason: content
/// that cannot be verified cannot be used. An empty string is the empty digest (Go's zero value), left to validation.
/// </summary>
internal sealed class DigestConverter : JsonConverter<Digest>
{
    public override Digest Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException();
        }
        string text = reader.GetString()!;
        if (text.Length == 0)
        {
            return default;
        }
        return Digest.TryParse(text, out Digest digest, out string? error)
            ? digest
            : throw new ImageJsonValueException($"invalid digest {GoQuote.Quote(text)}: {error}");
    }

    public override void Write(Utf8JsonWriter writer, Digest value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}
