using System.Text.Json;
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
