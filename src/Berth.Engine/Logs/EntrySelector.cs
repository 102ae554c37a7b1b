namespace Berth.Engine.Logs;

/// <summary>
/// Picks the entries docker logs shows out of records, as dockerd's log reader and API do: entries before Since
/// are passed over, the first one after Until ends the read (<see cref="Done"/>), then only the streams asked for.
/// </summary>
internal sealed class EntrySelector(LogRecordFormat format, LogReadOptions options)
{
    /// <summary>An entry after Until was met: nothing more is to be read.</summary>
    public bool Done { get; private set; }

    public LogRecordFormat Format => format;

    /// <summary>The next entry to show from <paramref name="reader"/>; null when it has none (for now) or <see cref="Done"/>.</summary>
    public LogEntry? Next(RecordReader reader)
        => TryNext(reader, out var record, out var parsed) ? new LogEntry(parsed.Source, parsed.Time, format.Line(record, parsed)) : null;

    /// <summary>
    /// As <see cref="Next"/>, without making an entry: the record (valid until the reader's next read) and its fields.
    /// </summary>
    public bool TryNext(RecordReader reader, out ReadOnlySpan<byte> record, out LogRecord parsed)
    {
        while (!Done && reader.TryRead(out record))
        {
            if (!format.TryParse(record, out parsed))
                continue;
            if (parsed.Time < options.Since)
                continue;
            if (parsed.Time > options.Until)
            {
                Done = true;
                break;
            }
            if (parsed.Source == LogSource.Stdout ? !options.Stdout : !options.Stderr)
                continue;
            return true;
        }
        record = default;
        parsed = default;
        return false;
    }
}
