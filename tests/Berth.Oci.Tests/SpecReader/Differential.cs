using System.Text;
using Berth.Oci.Tests.Reference;

namespace Berth.Oci.Tests.SpecReader;

/// <summary>
/// Holds <see cref="OciJson.Read{T}"/> (RuntimeSpecReader) against the serializer it replaced (<see cref="Serializer"/>):
/// for one document, both read it to the same object graph (compared as the serializer writes them), or both refuse
/// it with an error of the same kind (malformed JSON or an invalid value) at the same JSON path. For malformed JSON the
/// reader's path may go deeper: the serializer scans some values whole before it converts them (map values, unknown
/// properties, some numbers) and names the value, where the reader names the element or property the error is in.
/// </summary>
internal static class Differential
{
    public static void AssertSame<T>(string json) where T : class => AssertSame<T>(Encoding.UTF8.GetBytes(json));

    public static void AssertSame<T>(byte[] json) where T : class
    {
        Serializer.Outcome<T> expected = Serializer.Read<T>(json);
        T? actual = null;
        OciFormatException? error = null;
        try
        {
            actual = OciJson.Read<T>(json, "config.json");
        }
        catch (OciFormatException ex)
        {
            error = ex;
        }

        if (expected.Value is { } value)
        {
            Assert.True(error is null, $"the reader refuses what the serializer reads ({error?.Message}):\n{Show(json)}");
            Assert.Equal(Compact(value), Compact(actual!));
            return;
        }
        Assert.True(error is not null, $"the reader accepts what the serializer refuses (at {expected.Path}):\n{Show(json)}");
        Assert.Equal("config.json", error.FileName);
        if (expected.Malformed && error.Message.StartsWith("config.json: invalid value at ", StringComparison.Ordinal))
        {
            // The serializer converts a map value only after scanning all of it, so a syntax error anywhere inside
            // it comes first for the serializer; the reader finds the value's wrong type at its start, before.
            (long line, long column) = SyntaxErrorPosition(expected.Error!);
            Assert.True(
                error.JsonPath!.StartsWith(expected.Path!, StringComparison.Ordinal) && (error.Line, error.Column).CompareTo((line, column)) < 0,
                $"the serializer finds malformed JSON at {expected.Path} (line {line}, column {column}), the reader says: {error.Message}\n{Show(json)}");
            return;
        }
        if (expected.Malformed)
        {
            Assert.True(
                error.Message.StartsWith($"config.json: malformed JSON at {error.JsonPath} (line {error.Line}, column {error.Column}): ", StringComparison.Ordinal)
                && error.JsonPath!.StartsWith(expected.Path!, StringComparison.Ordinal),
                $"the serializer finds malformed JSON at {expected.Path}, the reader says: {error.Message}\n{Show(json)}");
            return;
        }
        Assert.True(
            error.Message.StartsWith($"config.json: invalid value at {expected.Path}: ", StringComparison.Ordinal),
            $"the serializer refuses at {expected.Path}, the reader says: {error.Message}\n{Show(json)}");
        Assert.Equal(expected.Path, error.JsonPath);
    }

    // 1-based, from the JSON reader's exception that the serializer wraps.
    private static (long Line, long Column) SyntaxErrorPosition(Exception ex)
    {
        for (Exception? e = ex; e is not null; e = e.InnerException)
        {
            if (e is System.Text.Json.JsonException { LineNumber: { } line, BytePositionInLine: { } column } && e.GetType().Name == "JsonReaderException")
            {
                return (line + 1, column + 1);
            }
        }
        throw new InvalidOperationException("no JSON reader exception", ex);
    }

    /// <summary>The object graph as text: the serializer's compact output.</summary>
    public static string Compact<T>(T value) => Encoding.UTF8.GetString(Serializer.WriteCompact(value));

    private static string Show(byte[] json)
    {
        string text = Encoding.UTF8.GetString(json);
        return text.Length > 2000 ? text[..2000] + "..." : text;
    }
}
