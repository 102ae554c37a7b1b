using System.Text;
using System.Text.Json;

namespace Berth.Oci.Json;

/// <summary>
/// Words the failures of <see cref="RuntimeSpecReader"/> as <see cref="OciFormatException"/>s that say where and what,
/// in words of its own: this repository runs with UseSystemResourceKeys, so the framework's messages are bare
/// resource keys. Cold path: it reads the document again to find the JSON path.
/// </summary>
internal static class JsonErrors
{
    /// <summary><c>config.json: malformed JSON at $.process (line 5, column 3): unexpected character '"'</c>.</summary>
    /// <param name="ex">The reader's exception, which has the position.</param>
    public static OciFormatException Malformed(string fileName, ReadOnlySpan<byte> json, JsonException ex)
    {
        string path = JsonPaths.AtSyntaxError(json);
        (long line, long column) = (ex.LineNumber + 1 ?? 1, ex.BytePositionInLine + 1 ?? 1);
        string what;
        if (IsTruncated(json))
        {
            (line, column) = EndPosition(json);
            what = "unexpected end of input";
        }
        else
        {
            what = Unexpected(json, line, column);
        }
        return new OciFormatException(
            $"{fileName}: malformed JSON at {path} (line {line}, column {column}): {what}",
            fileName, path, line, column, ex);
    }

    /// <summary><c>config.json: invalid value at $.process.user.uid: expected uint32, got string "root"</c>.</summary>
    public static OciFormatException InvalidValue(string fileName, ReadOnlySpan<byte> json, InvalidValueException ex)
    {
        string path = JsonPaths.At(json, ex.Offset);
        (long line, long column) = Position(json, ex.Offset);
        return new OciFormatException($"{fileName}: invalid value at {path}: {ex.Reason}", fileName, path, line, column, ex);
    }

    /// <summary>What the reader is on, for <c>got ...</c>: <c>string "root"</c>, <c>number -1</c>, <c>null</c>, <c>array</c>.</summary>
    public static string Describe(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => TryGetString(ref reader) is { } text ? "string " + Quote(text) : "string that cannot be decoded",
        JsonTokenType.Number => "number " + Encoding.UTF8.GetString(reader.ValueSpan),
        JsonTokenType.True => "true",
        JsonTokenType.False => "false",
        JsonTokenType.Null => "null",
        JsonTokenType.StartArray => "array",
        _ => "object",
    };

    // Decoding fails on bytes that are not UTF-8 and on lone surrogate escapes (\ud800).
    private static string? TryGetString(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    // Valid so far, only incomplete: a reader told that more data may follow finds nothing wrong.
    private static bool IsTruncated(ReadOnlySpan<byte> json)
    {
        Utf8JsonReader reader = new(json, isFinalBlock: false, state: default);
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

    private static (long Line, long Column) EndPosition(ReadOnlySpan<byte> json) => Position(json, json.Length);

    // 1-based line and byte column of an offset.
    private static (long Line, long Column) Position(ReadOnlySpan<byte> json, long offset)
    {
        ReadOnlySpan<byte> before = json[..(int)offset];
        return (before.Count((byte)'\n') + 1, before.Length - before.LastIndexOf((byte)'\n'));
    }

    private static string Unexpected(ReadOnlySpan<byte> json, long line, long column)
    {
        int offset = 0;
        for (long l = 1; l < line && offset < json.Length; l++)
        {
            int newline = json[offset..].IndexOf((byte)'\n');
            offset = newline < 0 ? json.Length : offset + newline + 1;
        }
        offset += (int)column - 1;
        if (offset >= json.Length)
        {
            return "unexpected end of input";
        }
        byte b = json[offset];
        return b is > 0x20 and < 0x7F ? $"unexpected character '{(char)b}'" : $"unexpected byte 0x{b:x2}";
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
