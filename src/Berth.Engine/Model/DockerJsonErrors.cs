using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Berth.Engine.Model;

/// <summary>
/// Words a <see cref="JsonException"/> from reading a Docker API type as Go's encoding/json would: a syntax error by
/// its position, a value of the wrong type as <c>json: cannot unmarshal &lt;found&gt; into Go struct field
/// &lt;Type.Field.Path&gt; of type &lt;Go type&gt;</c>, found by walking the failed path through the document and the
/// contract.
/// </summary>
internal static class DockerJsonErrors
{
    public static DockerJsonException Describe(JsonException ex, ReadOnlySpan<byte> utf8, JsonTypeInfo root)
    {
        if (SyntaxError(utf8) is { } syntax)
        {
            return syntax;
        }
        using JsonDocument document = JsonDocument.Parse(utf8.ToArray());
        return DescribeMismatch(ex, document.RootElement, root) ?? new DockerJsonException(
            $"json: cannot unmarshal into Go value of type {root.Type.Name}: {Reason(ex.Message)}", innerException: ex);
    }

    /// <summary>
    /// An error inside a map's value, read by a nested serializer call whose path starts at the value: rethrown with
    /// the path below the map (<c>['80/tcp'][0].HostPort</c>) kept aside, since the outer path ends at the map.
    /// </summary>
    public static JsonException InMapValue(JsonException inner, string key)
    {
        string below = inner.Path is { } path && path.StartsWith('$') ? path[1..] : "";
        JsonException outer = new(inner.Message, inner);
        outer.Data[PathBelowMap] = $"['{key.Replace("'", "\\'")}']{below}{inner.Data[PathBelowMap] as string}";
        return outer;
    }

    private const string PathBelowMap = "Berth.PathBelowMap";

    private static DockerJsonException? SyntaxError(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Trim(" \t\r\n"u8).IsEmpty)
        {
            return new DockerJsonException("unexpected end of JSON input");
        }
        Utf8JsonReader reader = new(utf8);
        try
        {
            while (reader.Read())
            {
            }
            return null;
        }
        catch (JsonException syntax)
        {
            return IsPrefixOfValidJson(utf8)
                ? new DockerJsonException("unexpected end of JSON input", innerException: syntax)
                : new DockerJsonException(
                    $"invalid JSON at line {syntax.LineNumber + 1}, column {syntax.BytePositionInLine + 1}: {Reason(syntax.Message)}",
                    innerException: syntax);
        }
    }

    // Read as a block with more to come, a cut-off document just runs out of data instead of failing.
    private static bool IsPrefixOfValidJson(ReadOnlySpan<byte> utf8)
    {
        Utf8JsonReader reader = new(utf8, isFinalBlock: false, state: default);
        try
        {
            while (reader.Read())
            {
            }
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static DockerJsonException? DescribeMismatch(JsonException ex, JsonElement element, JsonTypeInfo root)
    {
        if (ex.Path is not { } path || !TryParsePath(path + (ex.Data[PathBelowMap] as string), out List<object> segments))
        {
            return null;
        }
        JsonSerializerOptions options = root.Options;
        Type type = root.Type;
        List<string> field = [root.Type.Name];
        foreach (object segment in segments)
        {
            if (segment is int index)
            {
                if (element.ValueKind != JsonValueKind.Array || index >= element.GetArrayLength() || ElementType(type) is not { } itemType)
                {
                    return null;
                }
                element = element[index];
                type = itemType;
                continue;
            }
            string name = (string)segment;
            if (element.ValueKind != JsonValueKind.Object || Property(element, name) is not { } value)
            {
                return null;
            }
            element = value;
            if (MapValueType(type) is { } valueType)
            {
                type = valueType; // Go names struct fields only, not map keys
                continue;
            }
            JsonTypeInfo info = options.GetTypeInfo(type);
            JsonPropertyInfo? property = info.Kind == JsonTypeInfoKind.Object
                ? info.Properties.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
                : null;
            if (property is null)
            {
                return null;
            }
            field.Add(property.Name);
            type = property.PropertyType;
        }
        string found = Found(element);
        string expected = GoTypeName(type);
        string message = field.Count == 1
            ? $"json: cannot unmarshal {found} into Go value of type {expected}"
            : $"json: cannot unmarshal {found} into Go struct field {string.Join('.', field)} of type {expected}";
        return new DockerJsonException(message, string.Join('.', field), expected, found, ex);
    }

    // System.Text.Json's paths: $, $.Name, $.List[3], $['odd.name'].
    private static bool TryParsePath(string path, out List<object> segments)
    {
        segments = [];
        if (!path.StartsWith('$'))
        {
            return false;
        }
        int i = 1;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                int end = path.IndexOfAny(['.', '['], i + 1);
                end = end < 0 ? path.Length : end;
                segments.Add(path[(i + 1)..end]);
                i = end;
            }
            else if (path.AsSpan(i).StartsWith("['"))
            {
                int end = path.IndexOf("']", i + 2, StringComparison.Ordinal);
                if (end < 0)
                {
                    return false;
                }
                segments.Add(path[(i + 2)..end].Replace("\\'", "'"));
                i = end + 2;
            }
            else if (path[i] == '[')
            {
                int end = path.IndexOf(']', i);
                if (end < 0 || !int.TryParse(path.AsSpan(i + 1, end - i - 1), out int index))
                {
                    return false;
                }
                segments.Add(index);
                i = end + 1;
            }
            else
            {
                return false;
            }
        }
        return true;
    }

    // Go prefers the exact name, then any case.
    private static JsonElement? Property(JsonElement element, string name)
    {
        JsonElement? match = null;
        foreach (JsonProperty property in element.EnumerateObject())
        {
            if (property.NameEquals(name))
            {
                return property.Value;
            }
            if (match is null && string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                match = property.Value;
            }
        }
        return match;
    }

    private static string Found(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number " + element.GetRawText(),
        JsonValueKind.True or JsonValueKind.False => "bool",
        JsonValueKind.Array => "array",
        JsonValueKind.Object => "object",
        _ => "null",
    };

    private static Type? ElementType(Type type) =>
        type.IsArray ? type.GetElementType()
        : type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>) ? type.GetGenericArguments()[0]
        : null;

    private static Type? MapValueType(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>) ? type.GetGenericArguments()[1] : null;

    /// <summary>The type in Go's notation, as in Go's error messages.</summary>
    internal static string GoTypeName(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsEnum)
        {
            return GoTypeName(Enum.GetUnderlyingType(type));
        }
        if (MapValueType(type) is { } value)
        {
            return "map[string]" + GoTypeName(value);
        }
        if (type == typeof(byte[]))
        {
            return "[]uint8";
        }
        if (ElementType(type) is { } item)
        {
            return "[]" + GoTypeName(item);
        }
        return type switch
        {
            _ when type == typeof(string) => "string",
            _ when type == typeof(bool) => "bool",
            _ when type == typeof(long) => "int64",
            _ when type == typeof(int) => "int",
            _ when type == typeof(ulong) => "uint64",
            _ when type == typeof(uint) => "uint32",
            _ when type == typeof(ushort) => "uint16",
            _ when type == typeof(byte) => "uint8",
            _ when type == typeof(DateTimeOffset) => "time.Time",
            _ when type == typeof(JsonElement) => "interface {}",
            _ when type == typeof(EmptyObject) => "struct {}",
            _ => type.Name,
        };
    }

    // System.Text.Json appends the position ("Path: $ | LineNumber: 0 | ..."); the message says it its own way.
    private static string Reason(string message)
    {
        int cut = message.IndexOf(" Path:", StringComparison.Ordinal) is var p and >= 0 ? p : message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut >= 0 ? message[..cut] : message).TrimEnd('.', ' ');
    }
}
