using System.Text;
using System.Text.Json;

namespace Berth.Oci.Tests.SpecReader;

/// <summary>
/// Text edits of a JSON document at the places its tokens occupy, to derive variants of a valid config:
/// every value replaced, every property renamed, repeated or dropped, unknown properties in every object.
/// Edits work on bytes, so they can produce anything, including broken JSON.
/// </summary>
internal static class JsonEdits
{
    /// <summary>Byte range of a JSON text: [Start, End).</summary>
    public readonly record struct Span(int Start, int End);

    /// <summary>A property: its quoted name and its value.</summary>
    public readonly record struct Property(Span Name, Span Value);

    /// <summary>Every value of the document, the root and the elements of arrays included, in document order.</summary>
    public static List<Span> Values(byte[] json)
    {
        List<Span> values = [];
        Utf8JsonReader reader = new(json);
        while (reader.Read())
        {
            if (reader.TokenType is not (JsonTokenType.PropertyName or JsonTokenType.EndObject or JsonTokenType.EndArray))
            {
                values.Add(new Span((int)reader.TokenStartIndex, ValueEnd(reader)));
            }
        }
        return values;
    }

    /// <summary>Every property of every object, in document order.</summary>
    public static List<Property> Properties(byte[] json)
    {
        List<Property> properties = [];
        Utf8JsonReader reader = new(json);
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName)
            {
                int start = (int)reader.TokenStartIndex;
                Span name = new(start, start + reader.ValueSpan.Length + 2);
                Utf8JsonReader value = reader;
                value.Read();
                properties.Add(new Property(name, new Span((int)value.TokenStartIndex, ValueEnd(value))));
            }
        }
        return properties;
    }

    /// <summary>Offsets just after the <c>{</c> of every object.</summary>
    public static List<int> ObjectStarts(byte[] json)
    {
        List<int> starts = [];
        Utf8JsonReader reader = new(json);
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                starts.Add((int)reader.BytesConsumed);
            }
        }
        return starts;
    }

    public static byte[] Replace(byte[] json, Span span, string text) =>
        [.. json.AsSpan(0, span.Start), .. Encoding.UTF8.GetBytes(text), .. json.AsSpan(span.End)];

    public static byte[] Insert(byte[] json, int offset, string text) => Replace(json, new Span(offset, offset), text);

    /// <summary>Inserts a property at the start of the object whose <c>{</c> ends at <paramref name="objectStart"/>.</summary>
    public static byte[] InsertProperty(byte[] json, int objectStart, string name, string value)
    {
        bool empty = json.AsSpan(objectStart).TrimStart(" \t\r\n"u8).StartsWith("}"u8);
        return Insert(json, objectStart, $"{Quote(name)}:{value}{(empty ? "" : ",")}");
    }

    /// <summary>Removes a property and the comma that separates it from a neighbour.</summary>
    public static byte[] Remove(byte[] json, Property property)
    {
        int start = property.Name.Start, end = property.Value.End;
        int after = end + (json.Length - end - json.AsSpan(end).TrimStart(" \t\r\n"u8).Length);
        if (after < json.Length && json[after] == ',')
        {
            end = after + 1;
        }
        else
        {
            int before = json.AsSpan(0, start).TrimEnd(" \t\r\n"u8).Length - 1;
            if (before >= 0 && json[before] == ',')
            {
                start = before;
            }
        }
        return Replace(json, new Span(start, end), "");
    }

    public static string Text(byte[] json, Span span) => Encoding.UTF8.GetString(json.AsSpan(span.Start, span.End - span.Start));

    /// <summary>The unescaped name of a property; as raw text if it does not decode (not UTF-8, a lone surrogate).</summary>
    public static string Name(byte[] json, Property property)
    {
        Utf8JsonReader reader = new(json.AsSpan(property.Name.Start, property.Name.End - property.Name.Start));
        reader.Read();
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            return Encoding.UTF8.GetString(json.AsSpan(property.Name.Start + 1, property.Name.End - property.Name.Start - 2));
        }
    }

    /// <summary>A JSON string literal, escaped as System.Text.Json escapes by default (non-ASCII as \u).</summary>
    public static string Quote(string s) => JsonSerializer.Serialize(s);

    private static int ValueEnd(Utf8JsonReader reader)
    {
        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            reader.Skip();
        }
        return (int)reader.BytesConsumed;
    }
}
