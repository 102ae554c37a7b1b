namespace Berth.Engine.Logs;

/// <summary>
/// Turns a container's raw output into log entries, as dockerd's log copier and driver do: one entry per
/// '\n'-terminated line (the '\n' kept, as in json-file's "log" field), a line of 16 KiB or more without a '\n' cut
/// into partial entries of 16 KiB that carry no '\n' (Docker's PartialLogMetaData: every piece has the time of the
/// first), and an unterminated tail held back until more bytes or <see cref="Complete"/> come. Writes each entry to
/// the log file with one write(2), rotating the file as max-size/max-file say; no fsync.
/// Thread-safe: stdout and stderr may be written from two threads. Dispose writes what is still held back of either
/// source (as <see cref="Complete"/> would) and closes the file.
/// </summary>
public interface IContainerLogWriter : IDisposable
{
    /// <summary>
    /// Raw bytes as read from the container's stdout or stderr (with a terminal everything is
    /// <see cref="LogSource.Stdout"/>). <paramref name="now"/> becomes the time of the lines this chunk ends.
    /// Throws <see cref="LogWriteException"/> after the whole chunk has been handled when some entries could not be written.
    /// </summary>
    void Write(LogSource source, ReadOnlySpan<byte> chunk, DateTimeOffset now);

    /// <summary>End of file on one source: its unterminated tail, if any, becomes a (partial, '\n'-less) entry.</summary>
    void Complete(LogSource source, DateTimeOffset now);
}
