using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Berth.Oci.Json;

/// <summary>
/// Turns a System.Text.Json failure into an <see cref="OciFormatException"/> whose message says where and what,
/// in words of its own: this repository runs with UseSystemResourceKeys, so the framework's messages are bare
/// resource keys. Cold path: it may re-read the document.
/// </summary>
internal static class JsonErrors
{
    public static OciFormatException Describe(string fileName, ReadOnlySpan<byte> utf8, JsonException ex, JsonTypeInfo root)
    {
        string path = (ex.Path ?? "$") + (ex is MapValueException map ? map.RelativePath : "");
        if (FindSyntaxError(utf8) is { } syntax)
        {
            (long line, long column) = (syntax.LineNumber + 1 ?? 1, syntax.BytePositionInLine + 1 ?? 1);
            string what;
            if (IsTruncated(utf8))
            {
                (line, column) = EndPosition(utf8);
                what = "unexpected end of input";
            }
            else
            {
                what = Unexpected(utf8, line, column);
            }
            return new OciFormatException(
                $"{fileName}: malformed JSON at {path} (line {line}, column {column}): {what}",
                fileName, path, line, column, ex);
        }

        List<object>? steps = JsonPaths.Parse(path);
        string? expected = steps is null ? null : ExpectedType(root, steps);
        string? actual = steps is null ? null : ActualValue(utf8, steps);
        string reason = expected is not null && actual is not null
            ? $"expected {expected}, got {actual}"
            : "value cannot be converted";
        return new OciFormatException(
            $"{fileName}: invalid value at {path}: {reason}",
            fileName, path, ex.LineNumber + 1, ex.BytePositionInLine + 1, ex);
    }

    private static JsonException? FindSyntaxError(ReadOnlySpan<byte> utf8)
    {
        Utf8JsonReader reader = new(utf8);
        try
        {
            while (reader.Read())
            {
            }
            return null;
        }
        catch (JsonException ex)
        {
            return ex;
        }
    }

    // Valid so far, only incomplete: a reader told that more data may follow finds nothing wrong.
    private static bool IsTruncated(ReadOnlySpan<byte> utf8)
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

    private static (long Line, long Column) EndPosition(ReadOnlySpan<byte> utf8)
    {
        int lastNewline = utf8.LastIndexOf((byte)'\n');
        return (utf8.Count((byte)'\n') + 1, utf8.Length - lastNewline);
    }

    private static string Unexpected(ReadOnlySpan<byte> utf8, long line, long column)
    {
        int offset = 0;
        for (long l = 1; l < line && offset < utf8.Length; l++)
        {
            int newline = utf8[offset..].IndexOf((byte)'\n');
            offset = newline < 0 ? utf8.Length : offset + newline + 1;
        }
        offset += (int)column - 1;
        if (offset >= utf8.Length)
        {
            return "unexpected end of input";
        }
        byte b = utf8[offset];
        return b is > 0x20 and < 0x7F ? $"unexpected character '{(char)b}'" : $"unexpected byte 0x{b:x2}";
    }

    private static string? ExpectedType(JsonTypeInfo root, List<object> steps)
    {
        Type type = root.Type;
        foreach (object step in steps)
        {
            JsonTypeInfo info = root.Options.GetTypeInfo(type);
            Type? next = (info.Kind, step) switch
            {
                (JsonTypeInfoKind.Object, string name) => info.Properties
                    .FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))?.PropertyType,
                (JsonTypeInfoKind.Enumerable, int) or (JsonTypeInfoKind.Dictionary, string) => info.ElementType,
                (JsonTypeInfoKind.None, string) when type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>)
                    => type.GetGenericArguments()[1],
                _ => null,
            };
            if (next is null)
            {
                return null;
            }
            type = next;
        }
        return Name(root.Options.GetTypeInfo(type));
    }

    private static string Name(JsonTypeInfo info)
    {
        Type type = Nullable.GetUnderlyingType(info.Type) ?? info.Type;
        return type switch
        {
            _ when type == typeof(string) => "string",
            _ when type == typeof(bool) => "boolean",
            _ when type == typeof(int) => "int32",
            _ when type == typeof(long) => "int64",
            _ when type == typeof(ushort) => "uint16",
            _ when type == typeof(uint) => "uint32",
            _ when type == typeof(ulong) => "uint64",
            _ when type == typeof(DateTimeOffset) => "RFC 3339 time",
            _ when info.Kind == JsonTypeInfoKind.Enumerable => "array",
            _ => "object",
        };
    }

    private static string? ActualValue(ReadOnlySpan<byte> utf8, List<object> steps)
    {
        using JsonDocument document = JsonDocument.Parse(utf8.ToArray());
        JsonElement element = document.RootElement;
        foreach (object step in steps)
        {
            switch (step)
            {
                case string name when element.ValueKind == JsonValueKind.Object:
                    JsonElement? found = null;
                    foreach (JsonProperty property in element.EnumerateObject())
                    {
                        if (property.NameEquals(name) || (found is null && string.Equals(NameOf(property), name, StringComparison.OrdinalIgnoreCase)))
                        {
                            found = property.Value; // the last exact match wins, as when deserializing
                        }
                    }
                    if (found is not { } value)
                    {
                        return null;
                    }
                    element = value;
                    break;
                case int index when element.ValueKind == JsonValueKind.Array && index < element.GetArrayLength():
                    element = element[index];
                    break;
                default:
                    return null;
            }
        }
        return element.ValueKind switch
        {
            JsonValueKind.String => TryGetString(element) is { } text ? "string " + Quote(text) : "string that cannot be decoded",
            JsonValueKind.Number => "number " + element.GetRawText(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            JsonValueKind.Null => "null",
            JsonValueKind.Array => "array",
            _ => "object",
        };
    }

    // Decoding fails on bytes that are not UTF-8 and on lone surrogate escapes (\ud800), which is why the
    // serializer failed in the first place.
    private static string? TryGetString(JsonElement element)
    {
        try
        {
            return element.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static string? NameOf(JsonProperty property)
    {
        try
        {
            return property.Name;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static string Quote(string s)
    {
        const int Max = 40;
        StringBuilder quoted = new("\"");
        foreach (char c in s.Length > Max ? s[..Max] : s)
        {
            quoted.Append(c is '"' or '\\' ? "\\" + c : char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString());
        }
        return quoted.Append(s.Length > Max ? "\"..." : "\"").ToString();
    }
}
