using System.Collections;
using System.Text.Json.Serialization.Metadata;

namespace Berth.Oci.Image.Json;

/// <summary>
/// Go's <c>omitempty</c>, as a contract modifier over the source-generated metadata: a property is left out when it
/// is null, <c>""</c>, an empty list or map, <c>false</c>, 0 or the empty digest, unless Go's struct has no omitempty
/// for it; those are listed here and always written (a nil Go slice as <c>null</c>). A nullable value type
/// (<c>StopTimeout *int</c> in Go) is left out only when null.
/// </summary>
internal static class GoOmitEmpty
{
    // JSON names without omitempty in image-spec v1.1 (specs-go/v1) and docker-image-spec.
    private static readonly Dictionary<Type, string[]> AlwaysWritten = new()
    {
        [typeof(Descriptor)] = ["mediaType", "digest", "size"],
        [typeof(Platform)] = ["architecture", "os"],
        [typeof(ImageManifest)] = ["schemaVersion", "config", "layers"],
        [typeof(ImageIndex)] = ["schemaVersion", "manifests"],
        [typeof(ImageConfig)] = ["architecture", "os"],
        [typeof(RootFS)] = ["type", "diff_ids"],
    };

    public static void Apply(JsonTypeInfo info)
    {
        if (info.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }
        string[] always = AlwaysWritten.GetValueOrDefault(info.Type, []);
        foreach (JsonPropertyInfo property in info.Properties)
        {
            if (always.Contains(property.Name))
            {
                property.ShouldSerialize = null;
            }
            else if (Nullable.GetUnderlyingType(property.PropertyType) is not null)
            {
                property.ShouldSerialize = static (_, value) => value is not null;
            }
            else
            {
                property.ShouldSerialize = static (_, value) => !IsEmpty(value);
            }
        }
    }

    internal static bool IsEmpty(object? value) => value switch
    {
        null => true,
        string s => s.Length == 0,
        bool b => !b,
        int i => i == 0,
        long l => l == 0,
        Digest d => d.IsEmpty,
        ICollection c => c.Count == 0,
        IReadOnlyCollection<string> c => c.Count == 0,
        _ => false,
    };
}
