using System.Text;
using System.Text.Json;

namespace Berth.Oci.Json;

/// <summary>
/// JSON paths in System.Text.Json's notation (<c>$.mounts[3].destination</c>, <c>$.annotations['key.with.dots']</c>),
/// found by reading the document again up to a place: cold paths, for error messages only.
/// </summary>
internal static class JsonPaths
{
    /// <summary>The step to a member: <c>.name</c>, or <c>['name']</c> when the name has characters that need it.</summary>
    public static string Member(string name) =>
        name.Length > 0 && !name.AsSpan().ContainsAny(".'[]() \t\r\n\"$@*,")
            ? "." + name
            : "['" + name.Replace("'", "\\'", StringComparison.Ordinal) + "']";

    /// <summary>
    /// The path of the value that starts at byte <paramref name="offset"/>, as the name is written in the document;
    /// for a property name, the path of its object.
    /// </summary>
    public static string At(ReadOnlySpan<byte> json, long offset) => Walk(json, offset);

    /// <summary>
    /// Where the syntax error of a malformed document is: the value being read when it turned up, e.g.
    /// <c>$.hostname</c> for <c>{"hostname": 'x'}</c>; the enclosing object or array between values, e.g.
    /// <c>$.process</c> for a missing comma there; for an array, at the index of the next element.
    /// </summary>
    public static string AtSyntaxError(ReadOnlySpan<byte> json) => Walk(json, -1);

    // One open object or array: the property being read (null between properties) or the index of the element.
    private sealed class Level(bool isArray)
    {
        public bool IsArray { get; } = isArray;

        public string? Name { get; set; }

        public int Index { get; set; }
    }

    private static string Walk(ReadOnlySpan<byte> json, long stopAt)
    {
        List<Level> levels = [];
        Utf8JsonReader reader = new(json);
        try
        {
            while (reader.Read() && reader.TokenStartIndex != stopAt)
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        levels[^1].Name = Name(ref reader);
                        break;
                    case JsonTokenType.StartObject:
                        levels.Add(new Level(isArray: false));
                        break;
                    case JsonTokenType.StartArray:
                        levels.Add(new Level(isArray: true));
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        levels.RemoveAt(levels.Count - 1);
                        ValueDone(levels);
                        break;
                    default:
                        ValueDone(levels);
                        break;
                }
            }
        }
        catch (JsonException)
        {
            // The syntax error: the levels say where it is.
        }
        StringBuilder path = new("$");
        foreach (Level level in levels)
        {
            if (level.IsArray)
            {
                path.Append('[').Append(level.Index).Append(']');
            }
            else if (level.Name is { } name)
            {
                path.Append(Member(name));
            }
        }
        return path.ToString();
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

    private static string Name(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            return Encoding.UTF8.GetString(reader.ValueSpan); // does not decode: as written
        }
    }
}
