using System.Text.Json;
using System.Text.Json.Nodes;

namespace Berth.Cli;

/// <summary>The settings of the client's config.json that berth honours (docker's names): detachKeys, psFormat, imagesFormat, statsFormat.</summary>
internal sealed class ConfigFile
{
    public string? DetachKeys { get; init; }

    public string? PsFormat { get; init; }

    public string? ImagesFormat { get; init; }

    public string? StatsFormat { get; init; }

    public static ConfigFile Load(string directory)
    {
        string path = Path.Combine(directory, "config.json");
        try
        {
            if (!File.Exists(path) || JsonNode.Parse(File.ReadAllBytes(path)) is not JsonObject o)
                return new ConfigFile();
            return new ConfigFile
            {
                DetachKeys = Text(o, "detachKeys"),
                PsFormat = Text(o, "psFormat"),
                ImagesFormat = Text(o, "imagesFormat"),
                StatsFormat = Text(o, "statsFormat"),
            };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return new ConfigFile();
        }
    }

    static string? Text(JsonObject o, string key) => o[key] is JsonValue v && v.TryGetValue(out string? s) && s.Length > 0 ? s : null;
}
