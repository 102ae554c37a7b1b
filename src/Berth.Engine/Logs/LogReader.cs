using System.Runtime.CompilerServices;

namespace Berth.Engine.Logs;

/// <summary>
/// Reads a container's log back for docker logs: the rotated files (.gz ones decompressed on the fly) and the
/// current one, in order, filtered as <see cref="LogReadOptions"/> says; with Follow, then the entries appended
/// afterwards, across rotations, until the container has stopped and all it wrote has been read.
/// </summary>
public static class LogReader
{
    // Following polls the file: soon after it grew, less often the longer it stays the same.
    const int FirstPollMs = 5;
    const int LastPollMs = 200;

    /// <summary>
    /// The entries of the log at <paramref name="path"/>, in order. With Follow, waits for new ones after the existing
    /// ones (noticing rotation: &lt;path&gt; being another file; the files rotated meanwhile are read in order) until
    /// <paramref name="stopped"/> has completed and everything written before then has been read, or until the first
    /// entry after Until. <paramref name="stopped"/> must complete only after the container's log writer has written its
    /// last entry. Cancelling <paramref name="ct"/> ends the enumeration with an OperationCanceledException.
    /// A driver that keeps nothing readable ("none") throws <see cref="LogConfigException"/> with Docker's text.
    /// </summary>
    public static async IAsyncEnumerable<LogEntry> ReadAsync(
        LogConfig config, string path, LogReadOptions options, Task stopped, [EnumeratorCancellation] CancellationToken ct)
    {
        var selector = Selector(config, options);
        await foreach (var reader in Sources(config, path, options, stopped, selector, ct).ConfigureAwait(false))
        {
            while (selector.Next(reader) is { } entry)
                yield return entry;
        }
    }

    /// <summary>
    /// The entries that <see cref="ReadAsync"/> gives, written to <paramref name="output"/> as
    /// <see cref="LogFormatter"/> formats them, many to a write: a write goes out when its buffer is full and whenever
    /// the log has nothing more to read for now, so a follower sees an entry as soon as it is read.
    /// </summary>
    public static async Task CopyToAsync(
        LogConfig config, string path, LogReadOptions options, Task stopped, Stream output, bool timestamps, bool tty, CancellationToken ct)
    {
        var selector = Selector(config, options);
        using var batch = new LogBatchWriter(timestamps, tty);
        await foreach (var reader in Sources(config, path, options, stopped, selector, ct).ConfigureAwait(false))
        {
            while (batch.Fill(selector, reader))
                await batch.FlushAsync(output, ct).ConfigureAwait(false);
            await batch.FlushAsync(output, ct).ConfigureAwait(false);
        }
    }

    static EntrySelector Selector(LogConfig config, LogReadOptions options)
    {
        if (!LogDrivers.CanRead(config.Type))
            throw new LogConfigException(LogDrivers.NotReadableMessage);
        return new EntrySelector(LogRecordFormat.For(config.Type), options);
    }

    /// <summary>
    /// The readers to take entries from, in order, each yielded when it may have some: the caller takes from it with
    /// <paramref name="selector"/> all it has (until <see cref="EntrySelector.Next"/> has none) before asking for the
    /// next one, which may wait (following).
    /// </summary>
    static async IAsyncEnumerable<RecordReader> Sources(
        LogConfig config, string path, LogReadOptions options, Task stopped, EntrySelector selector, [EnumeratorCancellation] CancellationToken ct)
    {
        var format = LogRecordFormat.For(config.Type);
        var settings = LogFileSettings.Parse(config);
        var readers = new List<RecordReader>();
        // The newest file of the log read so far, held open: a follower's place, whatever the file is named by now
        // (held, its inode cannot be given to a new file). Read by currentReader while it is the file at <path>.
        LogSegment? newest = null;
        RecordReader? currentReader = null;
        var set = LogFileSet.Open(path, settings.MaxFiles);
        try
        {
            newest = set.TakeCurrent();
            currentReader = ReadPlan.Build(set.Rotated, newest, format, options.Tail, options.Follow, readers);
            newest ??= set.TakeNewest();

            // Rotated files, then the current one as far as it is written.
            foreach (var reader in readers)
            {
                yield return reader;
                if (selector.Done)
                    yield break;
            }
            if (currentReader is not null)
            {
                yield return currentReader;
                if (selector.Done)
                    yield break;
            }
            if (!options.Follow)
                yield break;

            int pollMs = FirstPollMs;
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                bool wasStopped = stopped.IsCompleted;
                long before = currentReader?.Position ?? -1;
                if (currentReader is not null)
                {
                    yield return currentReader;
                    if (selector.Done)
                        yield break;
                }
                bool progressed = currentReader is not null && currentReader.Position != before;

                if (FileIdentity.At(path) is { } atPath && atPath != newest?.Identity)
                {
                    // Rotated (or created), perhaps several times since the last look. The file read so far is
                    // complete: what the writer put in it between the read above and the rotation comes first, then
                    // the files rotated after it, then the new one.
                    if (currentReader is not null)
                    {
                        yield return currentReader;
                        if (selector.Done)
                            yield break;
                    }
                    using var next = LogFileSet.Open(path, settings.MaxFiles, newest?.Identity, settings.Compress);
                    foreach (var segment in next.Rotated)
                    {
                        using var reader = segment.Records(format);
                        yield return reader;
                        if (selector.Done)
                            yield break;
                    }
                    bool atCurrent = next.Current is not null;
                    if (next.TakeNewest() is { } taken)
                    {
                        currentReader?.Dispose();
                        newest?.Dispose();
                        newest = taken;
                        // A rotated file taken as the newest (<path> was missing for a moment) has just been read whole.
                        currentReader = atCurrent ? taken.Records(format) : null;
                    }
                    pollMs = FirstPollMs;
                    continue;
                }
                if (wasStopped)
                    yield break;
                pollMs = progressed ? FirstPollMs : Math.Min(pollMs * 2, LastPollMs);
                await Task.WhenAny(Task.Delay(pollMs, ct), stopped).ConfigureAwait(false);
            }
        }
        finally
        {
            foreach (var reader in readers)
                reader.Dispose();
            currentReader?.Dispose();
            newest?.Dispose();
            set.Dispose();
        }
    }
}
