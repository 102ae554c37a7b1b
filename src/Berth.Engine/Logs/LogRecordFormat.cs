using Microsoft.Win32.SafeHandles;

namespace Berth.Engine.Logs;

/// <summary>A record of a log file, parsed: where its line lies in the record's bytes and how to get it out.</summary>
internal readonly record struct LogRecord(LogSource Source, DateTimeOffset Time, int LineStart, int LineLength, bool LineEscaped, bool AppendNewline);

/// <summary>How a driver's log file is cut into records and read back (json-file's lines, local's framed protobufs).</summary>
internal abstract class LogRecordFormat
{
    /// <summary>
    /// The length of the complete record at the start of <paramref name="data"/>; 0 when it holds only the beginning
    /// of one (more may be on its way); -1 when its framing is broken and nothing after it can be read.
    /// </summary>
    public abstract int RecordLength(ReadOnlySpan<byte> data);

    /// <summary>The record's fields; false for a record that is not well-formed or of an unknown stream (skipped).</summary>
    public abstract bool TryParse(ReadOnlySpan<byte> record, out LogRecord parsed);

    /// <summary>The record's line as <see cref="LogEntry.Line"/> has it.</summary>
    public byte[] Line(ReadOnlySpan<byte> record, in LogRecord parsed)
    {
        if (!parsed.LineEscaped && !parsed.AppendNewline)
            return record.Slice(parsed.LineStart, parsed.LineLength).ToArray();
        int max = MaxLineLength(parsed);
        Span<byte> line = max <= 1024 ? stackalloc byte[max] : new byte[max];
        return line[..CopyLine(record, parsed, line)].ToArray();
    }

    /// <summary>At least the length of the record's line: what <see cref="CopyLine"/> needs.</summary>
    public static int MaxLineLength(in LogRecord parsed) => parsed.LineLength + (parsed.AppendNewline ? 1 : 0);

    /// <summary>Writes the record's line into <paramref name="destination"/> (at least <see cref="MaxLineLength"/> bytes); returns its length.</summary>
    public static int CopyLine(ReadOnlySpan<byte> record, in LogRecord parsed, Span<byte> destination)
    {
        ReadOnlySpan<byte> raw = record.Slice(parsed.LineStart, parsed.LineLength);
        int n;
        if (parsed.LineEscaped)
        {
            n = JsonStringDecoder.Unescape(raw, destination);
        }
        else
        {
            raw.CopyTo(destination);
            n = raw.Length;
        }
        if (parsed.AppendNewline)
            destination[n++] = (byte)'\n';
        return n;
    }

    /// <summary>
    /// Where the last <paramref name="count"/> complete records of the file's first <paramref name="end"/> bytes begin
    /// and how many of them there are (fewer when the file holds fewer). False when the file cannot be walked
    /// backwards (a record half written or damaged): the caller then scans it forwards.
    /// </summary>
    public abstract bool TryFindTail(SafeFileHandle file, long end, int count, out long offset, out int found);

    public static LogRecordFormat For(string type) => type switch
    {
        LogDrivers.JsonFile => JsonFileRecordFormat.Instance,
        LogDrivers.Local => LocalRecordFormat.Instance,
        _ => throw new LogConfigException(LogDrivers.NotReadableMessage),
    };
}
