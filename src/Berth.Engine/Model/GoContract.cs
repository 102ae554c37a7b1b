using System.Collections;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Berth.Engine.Model;

/// <summary>
/// Turns the source-generated contract into Go's encoding/json semantics (a contract modifier for
/// <see cref="DockerJson.GoOptions"/>):
/// <list type="bullet">
/// <item>Go's <c>omitempty</c>, which the model marks as <c>[JsonIgnore(Condition = WhenWritingDefault)]</c>: left out
/// when null, <c>""</c>, an empty list or map, <c>false</c> or 0. A nullable value type (Go's pointer, <c>*int</c>)
/// only when null. <c>WhenWritingNull</c> keeps its meaning: written unless null (fields Docker writes only when it has
/// them).</item>
/// <item>JSON <c>null</c> for a property that cannot be nil in Go (a string, a struct held by value) leaves it
/// unchanged, as Go does, instead of setting null.</item>
/// </list>
/// </summary>
internal static class GoContract
{
    public static void Apply(JsonTypeInfo info)
    {
        if (info.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }
        foreach (JsonPropertyInfo property in info.Properties)
        {
            if (IsOmitEmpty(property))
            {
                property.ShouldSerialize = static (_, value) => !IsEmpty(value);
            }
            if (!property.PropertyType.IsValueType && !property.IsSetNullable && property.Set is { } set)
            {
                property.Set = (target, value) =>
                {
                    if (value is not null)
                    {
                        set(target, value);
                    }
                };
            }
        }
    }

    private static bool IsOmitEmpty(JsonPropertyInfo property) =>
        Nullable.GetUnderlyingType(property.PropertyType) is null
        && property.AttributeProvider?.GetCustomAttributes(typeof(JsonIgnoreAttribute), inherit: false)
            is [JsonIgnoreAttribute { Condition: JsonIgnoreCondition.WhenWritingDefault }];

    internal static bool IsEmpty(object? value) => value switch
    {
        null => true,
        string s => s.Length == 0,
        bool b => !b,
        int i => i == 0,
        long l => l == 0,
        uint u => u == 0,
        ulong u => u == 0,
        ushort u => u == 0,
        ICollection c => c.Count == 0,
        _ => false,
    };
}
