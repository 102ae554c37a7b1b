using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.Win32.SafeHandles;

namespace Berth.Engine.Logs;

/// <summary>json-file's records: one JSON object per line with "log", "stream", "time" (and "attrs", ignored).</summary>
internal sealed class JsonFileRecordFormat : LogRecordFormat
{
    public static readonly JsonFileRecordFormat Instance = new();

    public override int RecordLength(ReadOnlySpan<byte> data)
    {
        int newline = data.IndexOf((byte)'\n');
        return newline + 1;
    }

    public override bool TryParse(ReadOnlySpan<byte> record, out LogRecord parsed)
        => TryParseWritten(record, out parsed) || TryParseAny(record, out parsed);

    /// <summary>
    /// The records as dockerd's and Berth's writers lay them out (<c>{"log":"...","stream":"stdout","time":"..."}</c>,
    /// no attrs), read by a plain scan: a general JSON reader per line is most of the cost of reading a log back.
    /// False for anything else, which <see cref="TryParseAny"/> then reads as the general reader would; so this
    /// accepts only what that reads to the same fields.
    /// </summary>
    internal static bool TryParseWritten(ReadOnlySpan<byte> record, out LogRecord parsed)
    {
        parsed = default;
        ReadOnlySpan<byte> prefix = "{\"log\":\""u8;
        if (!record.StartsWith(prefix))
            return false;
        int i = prefix.Length;
        bool escaped = false;
        while (true)
        {
            int next = record[i..].IndexOfAny((byte)'"', (byte)'\\');
            if (next < 0)
                return false;
            i += next;
            if (record[i] == '"')
                break;
            escaped = true;
            int escape = SimpleEscapeLength(record[i..]);
            if (escape == 0)
                return false;
            i += escape;
        }
        int lineStart = prefix.Length, lineLength = i - prefix.Length;
        ReadOnlySpan<byte> line = record.Slice(lineStart, lineLength);
        if (line.IndexOfAnyInRange((byte)0, (byte)0x1F) >= 0 || (!Ascii.IsValid(line) && !Utf8.IsValid(line)))
            return false;

        ReadOnlySpan<byte> rest = record[(i + 1)..];
        LogSource source;
        if (rest.StartsWith(",\"stream\":\"stdout\""u8))
            source = LogSource.Stdout;
        else if (rest.StartsWith(",\"stream\":\"stderr\""u8))
            source = LogSource.Stderr;
        else
            return false;
        rest = rest[",\"stream\":\"stdout\"".Length..];
        if (!rest.StartsWith(",\"time\":\""u8))
            return false;
        rest = rest[",\"time\":\"".Length..];
        int quote = rest.IndexOf((byte)'"');
        if (quote < 0 || !rest[(quote + 1)..].SequenceEqual("}\n"u8) || !GoTimeText.TryParse(rest[..quote], out var time))
            return false;
        parsed = new LogRecord(source, time, lineStart, lineLength, escaped, AppendNewline: false);
        return true;
    }

    /// <summary>The length of the escape at the start of <paramref name="s"/>; 0 for one to leave to the general reader (a surrogate, or not valid).</summary>
    static int SimpleEscapeLength(ReadOnlySpan<byte> s)
    {
        if (s.Length < 2)
            return 0;
        switch (s[1])
        {
            case (byte)'"' or (byte)'\\' or (byte)'/' or (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t':
                return 2;
            case (byte)'u':
                if (s.Length < 6)
                    return 0;
                int unit = 0;
                foreach (byte h in s.Slice(2, 4))
                {
                    if (!char.IsAsciiHexDigit((char)h))
                        return 0;
                    unit = (unit << 4) | (h <= '9' ? h - '0' : (h | 0x20) - 'a' + 10);
                }
                return char.IsSurrogate((char)unit) ? 0 : 6;
            default:
                return 0;
        }
    }

    /// <summary>Any JSON object with the fields, in any order, with any spacing and escapes.</summary>
    internal static bool TryParseAny(ReadOnlySpan<byte> record, out LogRecord parsed)
    {
        parsed = default;
        LogSource? source = null;
        DateTimeOffset? time = null;
        int lineStart = 0, lineLength = 0;
        bool escaped = false;
        try
        {
            var reader = new Utf8JsonReader(record);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                return false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("log"u8))
                {
                    if (!reader.Read() || reader.TokenType != JsonTokenType.String)
                        return false;
                    lineStart = (int)reader.TokenStartIndex + 1;
                    lineLength = reader.ValueSpan.Length;
                    escaped = reader.ValueIsEscaped;
                }
                else if (reader.ValueTextEquals("stream"u8))
                {
                    if (!reader.Read() || reader.TokenType != JsonTokenType.String)
                        return false;
                    source = reader.ValueTextEquals("stdout"u8) ? LogSource.Stdout : reader.ValueTextEquals("stderr"u8) ? LogSource.Stderr : null;
                }
                else if (reader.ValueTextEquals("time"u8))
                {
                    if (!reader.Read() || reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped
                        || !GoTimeText.TryParse(reader.ValueSpan, out var parsedTime))
                        return false;
                    time = parsedTime;
                }
                else
                {
                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            return false;
        }
        if (source is null || time is null)
            return false;
        parsed = new LogRecord(source.Value, time.Value, lineStart, lineLength, escaped, AppendNewline: false);
        return true;
    }

    public override bool TryFindTail(SafeFileHandle file, long end, int count, out long offset, out int found)
    {
        // Newline k from the end closes the k-th last record; the one before the first wanted record is number count + 1.
        byte[] block = new byte[64 * 1024];
        long position = end;
        int newlines = 0;
        while (position > 0)
        {
            int length = (int)Math.Min(block.Length, position);
            long start = position - length;
            int read = ReadExactly(file, block.AsSpan(0, length), start);
            if (read < length)
                break;
            ReadOnlySpan<byte> span = block.AsSpan(0, length);
            int index;
            while ((index = span.LastIndexOf((byte)'\n')) >= 0)
            {
                newlines++;
                if (newlines == count + 1)
                {
                    offset = start + index + 1;
                    found = count;
                    return true;
                }
                span = span[..index];
            }
            position = start;
        }
        offset = 0;
        found = newlines;
        return true;
    }

    internal static int ReadExactly(SafeFileHandle file, Span<byte> buffer, long offset)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = RandomAccess.Read(file, buffer[total..], offset + total);
            if (n == 0)
                break;
            total += n;
        }
        return total;
    }
}
