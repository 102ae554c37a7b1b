using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Berth.Oci.Image.Json;

/// <summary>
/// Words a serializer failure as an <see cref="OciFormatException"/> that says where and what. The serializer's own
/// messages are bare resource keys in this repository (UseSystemResourceKeys), so the words are made here from the JSON
/// path it reports, the token found at its position, and the type the metadata expects at that path; a syntax error
/// is located by <see cref="JsonSyntax"/>. Cold path.
/// <list type="bullet">
/// <item><c>manifest.json: malformed JSON at $.layers[0] (line 7, column 10): unexpected character '}'</c></item>
/// <item><c>manifest.json: invalid value at $.layers[0].size: expected integer, got string "12"</c></item>
/// <item><c>manifest.json: invalid value at $.config.digest: invalid digest "sha256:12": invalid checksum digest length</c></item>
/// </list>
/// </summary>
internal static class ImageJsonErrors
{
    public static OciFormatException Describe(JsonException ex, ReadOnlySpan<byte> json, string what, JsonSerializerOptions options, Type root)
    {
        if (JsonSyntax.Find(json) is { } syntax)
        {
            return new OciFormatException(
                $"{what}: malformed JSON at {syntax.Path} (line {syntax.Line}, column {syntax.Column}): {syntax.What}",
                what, syntax.Path, syntax.Line, syntax.Column, ex);
        }
        string path = ex.Path ?? "$";
        long line = (ex.LineNumber ?? 0) + 1;
        long column = (ex.BytePositionInLine ?? 0) + 1;
        string reason = ex is ImageJsonValueException value
            ? value.Reason
            : $"expected {Expected(options, root, path)}, got {TokenEndingAt(json, JsonSyntax.Offset(json, line, column))}";
        return new OciFormatException($"{what}: invalid value at {path}: {reason}", what, path, line, column, ex);
    }

    // The serializer reports the position after the value it could not convert (after '[' or '{' for a container).
    private static string TokenEndingAt(ReadOnlySpan<byte> json, int offset)
    {
        Utf8JsonReader reader = new(json);
        while (reader.Read())
        {
            if (reader.BytesConsumed >= offset)
            {
                return Describe(ref reader);
            }
        }
        return "nothing";
    }

    private static string Describe(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => "string " + GoQuote.Quote(Shorten(reader.GetString()!)),
        JsonTokenType.Number => "number " + Encoding.UTF8.GetString(reader.ValueSpan),
        JsonTokenType.True => "true",
        JsonTokenType.False => "false",
        JsonTokenType.Null => "null",
        JsonTokenType.StartArray => "array",
        _ => "object",
    };

    private static string Shorten(string s) => s.Length > 40 ? s[..40] + "..." : s;

    // Walks the metadata along the path: "$.layers[0].size" is Descriptor.Size of ImageManifest.Layers.
    private static string Expected(JsonSerializerOptions options, Type root, string path)
    {
        Type type = root;
        foreach (string step in Steps(path))
        {
            JsonTypeInfo info = options.GetTypeInfo(type);
            Type? next = step.StartsWith('[') && info.Kind == JsonTypeInfoKind.Enumerable ? info.ElementType
                : info.Kind == JsonTypeInfoKind.Dictionary ? info.ElementType
                : info.Properties.FirstOrDefault(p => p.Name.Equals(step, StringComparison.OrdinalIgnoreCase))?.PropertyType;
            if (next is null)
            {
                return "a different value";
            }
            type = next;
        }
        return Name(options.GetTypeInfo(type), Nullable.GetUnderlyingType(type) ?? type);
    }

    private static string Name(JsonTypeInfo info, Type type) => info.Kind switch
    {
        JsonTypeInfoKind.Object or JsonTypeInfoKind.Dictionary => "object",
        JsonTypeInfoKind.Enumerable when type != typeof(byte[]) => "array",
        _ when type == typeof(string) => "string",
        _ when type == typeof(byte[]) => "base64 string",
        _ when type == typeof(int) || type == typeof(long) => "integer",
        _ when type == typeof(bool) => "boolean",
        _ when type == typeof(Digest) => "digest string",
        _ when type == typeof(Timestamp) => "RFC 3339 time string",
        _ when type == typeof(IReadOnlySet<string>) || type == typeof(IReadOnlyDictionary<string, string>) => "object",
        _ => "a different value",
    };

    // "$.a[0]['b.c'].d" -> "a", "[0]", "b.c", "d"
    private static IEnumerable<string> Steps(string path)
    {
        int i = 1;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                int end = path.IndexOfAny(['.', '['], i + 1);
                end = end < 0 ? path.Length : end;
                yield return path[(i + 1)..end];
                i = end;
            }
            else if (path.AsSpan(i).StartsWith("['"))
            {
                int end = path.IndexOf("']", i + 2, StringComparison.Ordinal);
                end = end < 0 ? path.Length : end;
                yield return path[(i + 2)..end];
                i = end + 2;
            }
            else
            {
                int end = path.IndexOf(']', i);
                end = end < 0 ? path.Length - 1 : end;
                yield return path[i..(end + 1)];
                i = end + 1;
            }
        }
    }
}
