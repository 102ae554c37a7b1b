using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Berth.Oci.Json;

/// <summary>
/// The JSON property names of one type, matched as the serializer matches them under
/// <c>PropertyNameCaseInsensitive</c>: the unescaped name equal to a declared one, else equal under
/// <see cref="StringComparison.OrdinalIgnoreCase"/> (the comparer of the serializer's property table, so
/// <c>"CWD"</c> is <c>cwd</c> and so is <c>"c\u0077d"</c>).
/// </summary>
internal sealed class JsonMembers(params string[] names)
{
    /// <summary>
    /// Moves from the object's start, or from the previous property's value, to the next declared property and
    /// onto its value. Returns false at the end of the object. Properties not declared are skipped with their values.
    /// </summary>
    /// <param name="name">The declared name, an instance of this table, for a <c>switch</c>.</param>
    /// <exception cref="JsonException">The JSON is malformed.</exception>
    /// <exception cref="InvalidValueException">A property name does not decode (a lone surrogate escape).</exception>
    public bool Next(ref Utf8JsonReader reader, out string name)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string? found = Find(ref reader);
            reader.Read();
            if (found is not null)
            {
                name = found;
                return true;
            }
            reader.Skip();
        }
        name = "";
        return false;
    }

    private string? Find(ref Utf8JsonReader reader)
    {
        // Fast path, every property of a normal config: plain ASCII bytes equal to a declared name.
        if (!reader.ValueIsEscaped)
        {
            ReadOnlySpan<byte> utf8 = reader.ValueSpan;
            foreach (string name in names)
            {
                if (Ascii.Equals(utf8, name))
                {
                    return name;
                }
            }
        }
        // Escaped, another case, or unknown: compare as the serializer's table does. Allocates, but rarely runs.
        string text;
        try
        {
            text = reader.GetString()!;
        }
        catch (InvalidOperationException) when (!Utf8.IsValid(reader.ValueSpan) && (!reader.ValueIsEscaped || EscapesDecode(reader.ValueSpan)))
        {
            // Not UTF-8. The serializer decodes names leniently, and replacement characters match no declared
            // (ASCII) name: unknown. It does refuse a broken \u escape (a lone surrogate), hence the second test.
            return null;
        }
        catch (InvalidOperationException)
        {
            throw new InvalidValueException(reader.TokenStartIndex, "property name cannot be decoded");
        }
        foreach (string name in names)
        {
            if (string.Equals(text, name, StringComparison.OrdinalIgnoreCase))
            {
                return name;
            }
        }
        return null;
    }

    // Whether the escapes of a name that is not UTF-8 decode: decoded with its invalid bytes (never part of an
    // escape, which is ASCII) replaced.
    private static bool EscapesDecode(ReadOnlySpan<byte> raw)
    {
        byte[] quoted = new byte[raw.Length + 2];
        quoted[0] = quoted[^1] = (byte)'"';
        for (int i = 0; i < raw.Length;)
        {
            bool valid = Rune.DecodeFromUtf8(raw[i..], out _, out int length) == OperationStatus.Done;
            for (int end = i + length; i < end; i++)
            {
                quoted[i + 1] = valid ? raw[i] : (byte)'?';
            }
        }
        Utf8JsonReader reader = new(quoted);
        reader.Read();
        try
        {
            reader.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
