using System.Text.Json;

namespace Berth.Oci.Image.Json;

/// <summary>
/// A converter's refusal of a value, with the reason in words (<c>invalid checksum digest format</c>): the serializer
/// adds the JSON path and keeps the message, and <see cref="ImageJsonErrors"/> builds the user's message from both.
/// </summary>
internal sealed class ImageJsonValueException(string reason) : JsonException(reason)
{
    public string Reason { get; } = reason;
}
