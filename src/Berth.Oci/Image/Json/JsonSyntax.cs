using System.Text.Json;

namespace Berth.Oci.Image.Json;

/// <summary>
/// Finds the first syntax error of a document and the JSON path where it is, by reading it again with a plain reader
/// (whose position is exact, unlike the serializer's): the value being read, e.g. <c>$.layers[2]</c> for
/// <c>{"layers":[1,2,}</c>, or the enclosing object between properties. Cold path, for error messages.
/// </summary>
internal static class JsonSyntax
{
    public readonly record struct Error(string Path, long Line, long Column, string What);

    public static Error? Find(ReadOnlySpan<byte> json)
    {
        List<Level> levels = [];
        Utf8JsonReader reader = new(json);
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        levels[^1].Name = reader.GetString();
                        break;
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        levels.Add(new Level(reader.TokenType == JsonTokenType.StartArray));
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        levels.RemoveAt(levels.Count - 1);
                        ValueDone(levels);
                        break;
                    default:
                        ValueDone(levels);
                        break;
                }
            }
            return null;
        }
        catch (JsonException ex)
        {
            long line = (ex.LineNumber ?? 0) + 1;
            long column = (ex.BytePositionInLine ?? 0) + 1;
            int offset = Offset(json, line, column);
            string what = offset >= json.Length ? "unexpected end of input"
                : json[offset] is > 0x20 and < 0x7F ? $"unexpected character '{(char)json[offset]}'"
                : $"unexpected byte 0x{json[offset]:x2}";
            return new Error(PathOf(levels), line, column, what);
        }
    }

    /// <summary>Byte offset of a 1-based line and byte column.</summary>
    public static int Offset(ReadOnlySpan<byte> json, long line, long column)
    {
        int offset = 0;
        for (long l = 1; l < line && offset < json.Length; l++)
        {
            int newline = json[offset..].IndexOf((byte)'\n');
            offset = newline < 0 ? json.Length : offset + newline + 1;
        }
        return (int)Math.Min(json.Length, offset + column - 1);
    }

    private static void ValueDone(List<Level> levels)
    {
        if (levels.Count == 0)
        {
            return;
        }
        Level level = levels[^1];
        if (level.IsArray)
        {
            level.Index++;
        }
        else
        {
            level.Name = null;
        }
    }

    // In System.Text.Json's notation, which the serializer's own paths use: .name, or ['name'] when needed.
    private static string PathOf(List<Level> levels)
    {
        System.Text.StringBuilder path = new("$");
        foreach (Level level in levels)
        {
            if (level.IsArray)
            {
                path.Append('[').Append(level.Index).Append(']');
            }
            else if (level.Name is { } name)
            {
                path.Append(name.AsSpan().IndexOfAny(".'[]() \t\r\n\"\\/") >= 0 || name.Length == 0 ? $"['{name}']" : "." + name);
            }
        }
        return path.ToString();
    }

    private sealed class Level(bool isArray)
    {
        public bool IsArray { get; } = isArray;

        public string? Name { get; set; }

        public int Index { get; set; }
    }
}
