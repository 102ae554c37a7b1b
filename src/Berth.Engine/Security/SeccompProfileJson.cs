using System.Text.Json;
using System.Text.Json.Serialization;
using Berth.Engine.Model;

namespace Berth.Engine.Security;

/// <summary>Reads a seccomp profile as Docker's Go does (names in any case, unknown fields ignored), with Go's error text.</summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true, GenerationMode = JsonSourceGenerationMode.Metadata)]
[JsonSerializable(typeof(SeccompProfile))]
public sealed partial class SeccompProfileJson : JsonSerializerContext
{
    /// <exception cref="EngineException">Not JSON, or a value of the wrong type: <c>Decoding seccomp profile failed: ...</c></exception>
    public static SeccompProfile Parse(string json)
    {
        byte[] utf8 = System.Text.Encoding.UTF8.GetBytes(json);
        try
        {
            return JsonSerializer.Deserialize(utf8, Default.SeccompProfile) ?? new SeccompProfile();
        }
        catch (JsonException e)
        {
            throw EngineException.Invalid("Decoding seccomp profile failed: " + DockerJsonErrors.Describe(e, utf8, Default.SeccompProfile).Message);
        }
    }
}
