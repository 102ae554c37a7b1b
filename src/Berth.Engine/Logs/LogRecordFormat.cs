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
        ReadOnlySpan<byte> raw = record.Slice(parsed.LineStart, parsed.LineLength);
        if (parsed.LineEscaped)
        {
            Span<byte> decoded = raw.Length <= 1024 ? stackalloc byte[raw.Length] : new byte[raw.Length];
            return decoded[..JsonStringDecoder.Unescape(raw, decoded)].ToArray();
        }
        if (!parsed.AppendNewline)
            return raw.ToArray();
        var line = new byte[raw.Length + 1];
        raw.CopyTo(line);
        line[^1] = (byte)'\n';
        return line;
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
