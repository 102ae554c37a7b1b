namespace Berth.Engine.Logs;

/// <summary>
/// Picks the entries docker logs shows out of records, as dockerd's log reader and API do: entries before Since
/// are passed over, the first one after Until ends the read (<see cref="Done"/>), then only the streams asked for.
/// </summary>
internal sealed class EntrySelector(LogRecordFormat format, LogReadOptions options)
{
    /// <summary>An entry after Until was met: nothing more is to be read.</summary>
    public bool Done { get; private set; }

    /// <summary>The next entry to show from <paramref name="reader"/>; null when it has none (for now) or <see cref="Done"/>.</summary>
    public LogEntry? Next(RecordReader reader)
    {
        while (!Done && reader.TryRead(out var record))
        {
            if (!format.TryParse(record, out var parsed))
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
            return new LogEntry(parsed.Source, parsed.Time, format.Line(record, parsed));
        }
        return null;
    }
}
