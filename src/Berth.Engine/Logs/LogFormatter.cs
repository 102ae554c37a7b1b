using Berth.Engine.Streams;

namespace Berth.Engine.Logs;

/// <summary>
/// An entry as /containers/{id}/logs sends it (dockerd's WriteLogStream): the line, after
/// <c>2006-01-02T15:04:05.000000000Z </c> (Docker's RFC3339NanoFixed, nine digits always, and a space) when
/// timestamps are asked for; for a container with a terminal the bytes themselves, otherwise one multiplexed
/// frame on the entry's stream.
/// </summary>
public static class LogFormatter
{
    /// <summary>The timestamp and its space.</summary>
    public const int TimestampLength = GoTimeText.MaxLength + 1;

    /// <summary>The bytes <see cref="Format"/> writes for the entry.</summary>
    public static int Length(LogEntry entry, bool timestamps, bool tty)
        => (tty ? 0 : MultiplexedStream.HeaderLength) + (timestamps ? TimestampLength : 0) + entry.Line.Length;

    /// <summary>Writes the entry into <paramref name="destination"/> (at least <see cref="Length"/> bytes); returns the length.</summary>
    public static int Format(LogEntry entry, bool timestamps, bool tty, Span<byte> destination)
    {
        int n = tty ? 0 : MultiplexedStream.HeaderLength;
        if (timestamps)
        {
            n += GoTimeText.FormatNanoFixed(entry.Time, destination[n..]);
            destination[n++] = (byte)' ';
        }
        entry.Line.Span.CopyTo(destination[n..]);
        n += entry.Line.Length;
        if (!tty)
            MultiplexedStream.WriteHeader(destination, (StdStream)entry.Source, n - MultiplexedStream.HeaderLength);
        return n;
    }
}
