using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Berth.Images.Archive;

/// <summary>One entry of Docker's <c>manifest.json</c>: paths inside the archive, relative to its root.</summary>
internal sealed record DockerManifestItem(string Config, IReadOnlyList<string> RepoTags, IReadOnlyList<string> Layers);

/// <summary>
/// Docker's own archive files, <c>manifest.json</c> and <c>repositories</c>, byte for byte as <c>docker save</c>
/// writes them (Go's json.Encoder: compact, a trailing newline, maps with sorted keys), and <c>manifest.json</c>
/// read back as <c>docker load</c> reads it. Hand-written so that no serializer metadata is needed (NativeAOT).
/// </summary>
internal static class DockerArchiveJson
{
    public const string ManifestFile = "manifest.json";
    public const string RepositoriesFile = "repositories";

    /// <summary>Docker writes it with this space, and skopeo and containerd accept it as it is.</summary>
    public static ReadOnlySpan<byte> OciLayoutContent => "{\"imageLayoutVersion\": \"1.0.0\"}"u8;

    static readonly JsonWriterOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary><c>[{"Config":…,"RepoTags":[…],"Layers":[…]}]</c>; no tags is <c>null</c>, as Go writes a nil slice.</summary>
    public static byte[] WriteManifest(IReadOnlyList<DockerManifestItem> items)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer, Compact))
        {
            json.WriteStartArray();
            foreach (var item in items)
            {
                json.WriteStartObject();
                json.WriteString("Config", item.Config);
                json.WritePropertyName("RepoTags");
                if (item.RepoTags.Count == 0)
                    json.WriteNullValue();
                else
                    WriteStrings(json, item.RepoTags);
                json.WritePropertyName("Layers");
                WriteStrings(json, item.Layers);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        return [.. buffer.WrittenSpan, (byte)'\n'];
    }

    /// <summary>The legacy <c>{"name":{"tag":"&lt;top layer&gt;"}}</c> that pre-1.10 Docker loads from; keys sorted as Go sorts map keys.</summary>
    public static byte[] WriteRepositories(SortedDictionary<string, SortedDictionary<string, string>> repositories)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer, Compact))
        {
            json.WriteStartObject();
            foreach (var (name, tags) in repositories)
            {
                json.WriteStartObject(name);
                foreach (var (tag, layer) in tags)
                    json.WriteString(tag, layer);
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        return [.. buffer.WrittenSpan, (byte)'\n'];
    }

    static void WriteStrings(Utf8JsonWriter json, IReadOnlyList<string> values)
    {
        json.WriteStartArray();
        foreach (var value in values)
            json.WriteStringValue(value);
        json.WriteEndArray();
    }

    /// <summary>
    /// Reads <c>manifest.json</c> as Go's encoding/json reads Docker's manifestItem: field names case-insensitive,
    /// unknown fields (Parent, LayerSources) ignored, <c>null</c> lists empty.
    /// </summary>
    /// <exception cref="StoreException">InvalidArgument: not JSON, or not a list of such objects.</exception>
    public static List<DockerManifestItem> ReadManifest(ReadOnlyMemory<byte> utf8)
    {
        try
        {
            using var document = JsonDocument.Parse(utf8);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
                throw Invalid("not a JSON array");
            var items = new List<DockerManifestItem>();
            foreach (var element in document.RootElement.EnumerateArray())
            {
                if (element.ValueKind != JsonValueKind.Object)
                    throw Invalid("an entry is not a JSON object");
                string config = "";
                List<string> tags = [], layers = [];
                foreach (var property in element.EnumerateObject())
                {
                    if (property.Name.Equals("Config", StringComparison.OrdinalIgnoreCase))
                        config = property.Value.ValueKind == JsonValueKind.Null ? "" : String(property.Value, "Config");
                    else if (property.Name.Equals("RepoTags", StringComparison.OrdinalIgnoreCase))
                        tags = Strings(property.Value, "RepoTags");
                    else if (property.Name.Equals("Layers", StringComparison.OrdinalIgnoreCase))
                        layers = Strings(property.Value, "Layers");
                }
                items.Add(new DockerManifestItem(config, tags, layers));
            }
            return items;
        }
        catch (JsonException e)
        {
            throw new StoreException(StoreErrorKind.InvalidArgument, $"invalid archive: manifest.json: {e.Message}", e);
        }
    }

    static List<string> Strings(JsonElement value, string field)
    {
        if (value.ValueKind == JsonValueKind.Null)
            return [];
        if (value.ValueKind != JsonValueKind.Array)
            throw Invalid($"{field} is not a list of strings");
        return [.. value.EnumerateArray().Select(v => String(v, field))];
    }

    static string String(JsonElement value, string field)
        => value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Invalid($"{field} holds a {value.ValueKind}, not a string");

    static StoreException Invalid(string what) => StoreException.Invalid($"invalid archive: manifest.json: {what}");
}
