using System.Text;
using System.Text.Json.Nodes;

namespace Berth.Cli.Client;

/// <summary>A request body: bytes with their length, or a stream (sent chunked when its length is unknown).</summary>
internal sealed class RequestBody
{
    RequestBody(string contentType, byte[]? bytes, Stream? stream, long? length)
    {
        ContentType = contentType;
        Bytes = bytes;
        Stream = stream;
        Length = length;
    }

    public string ContentType { get; }

    public byte[]? Bytes { get; }

    public Stream? Stream { get; }

    public long? Length { get; }

    public static RequestBody Json(byte[] json) => new("application/json", json, null, json.Length);

    public static RequestBody FromBytes(byte[] bytes, string contentType) => new(contentType, bytes, null, bytes.Length);

    public static RequestBody Json(JsonNode node) => Json(Encoding.UTF8.GetBytes(node.ToJsonString()));

    public static RequestBody FromStream(Stream stream, string contentType = "application/x-tar")
    {
        long? length = null;
        try
        {
            if (stream.CanSeek)
                length = stream.Length - stream.Position;
        }
        catch (NotSupportedException)
        {
        }
        return new(contentType, null, stream, length);
    }
}
