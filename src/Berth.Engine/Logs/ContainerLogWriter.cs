using Berth.Linux;

namespace Berth.Engine.Logs;

/// <summary>
/// <see cref="IContainerLogWriter"/> for the file drivers: a <see cref="LineSplitter"/> per source, an encoder for
/// the driver's format and the rotating file. One lock for all: dockerd's driver serialises its writes the same way.
/// </summary>
internal sealed class ContainerLogWriter : IContainerLogWriter, ILogMessageSink
{
    readonly Lock _lock = new();
    readonly RotatingLogFile _file;
    readonly ILogEntryEncoder _encoder;
    readonly LineSplitter _stdout = new(LogSource.Stdout);
    readonly LineSplitter _stderr = new(LogSource.Stderr);
    readonly byte[] _entry;
    Exception? _firstError;
    int _dropped;
    bool _disposed;

    public ContainerLogWriter(RotatingLogFile file, ILogEntryEncoder encoder)
    {
        _file = file;
        _encoder = encoder;
        _entry = new byte[encoder.MaxLength(LineSplitter.BufferSize)];
    }

    public void Write(LogSource source, ReadOnlySpan<byte> chunk, DateTimeOffset now)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            Splitter(source).Write(chunk, now, this);
            ThrowIfDropped();
        }
    }

    public void Complete(LogSource source, DateTimeOffset now)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            Splitter(source).Complete(now, this);
            ThrowIfDropped();
        }
    }

    /// <summary>Writes what is still held back (as <see cref="Complete"/> would) and closes the file.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
                return;
            _disposed = true;
            var now = DateTimeOffset.UtcNow;
            _stdout.Complete(now, this);
            _stderr.Complete(now, this);
            _file.Dispose();
        }
    }

    void ILogMessageSink.Append(in LogMessage message)
    {
        int length = _encoder.Encode(message, _entry);
        try
        {
            _file.Append(_entry.AsSpan(0, length));
        }
        catch (Exception e) when (e is LinuxException or IOException or UnauthorizedAccessException)
        {
            _firstError ??= e;
            _dropped++;
        }
    }

    LineSplitter Splitter(LogSource source) => source == LogSource.Stderr ? _stderr : _stdout;

    void ThrowIfDropped()
    {
        if (_firstError is null)
            return;
        var error = new LogWriteException(_file.Path, _dropped, _firstError);
        _firstError = null;
        _dropped = 0;
        throw error;
    }
}
