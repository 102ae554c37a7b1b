using Berth.Engine.Logs;
using Berth.Engine.Streams;

namespace Berth.Shim;

/// <summary>
/// Where a process's output goes: the log (container only) and every connected target, in the
/// order it was read. Chunks arrive in the pumps' buffers with <see cref="HeaderRoom"/> bytes free in
/// front, where the multiplexed frame header is written, so a frame goes out in one send and
/// nothing is allocated per chunk. Without a terminal the targets get Docker's multiplexed frames,
/// with one the raw bytes.
/// </summary>
sealed class OutputRouter(IContainerLogWriter? log, bool raw)
{
    public const int HeaderRoom = 8;

    readonly Lock _gate = new();
    readonly List<OutputTarget> _targets = [];
    IContainerLogWriter? _log = log;
    bool _closed;
    bool _logFailed;
    long _dropReports;

    /// <summary>
    /// Sends <paramref name="greeting"/> (the command's reply) and adds the target in one step: no
    /// output can slip between the reply and the target's first frame, or go before the reply.
    /// After <see cref="CloseAll"/> the target is closed right after the greeting.
    /// </summary>
    public void Add(OutputTarget target, ReadOnlySpan<byte> greeting)
    {
        lock (_gate)
        {
            if (!target.TrySend(greeting) || _closed)
            {
                target.Close();
                return;
            }
            _targets.Add(target);
        }
    }

    /// <summary>
    /// The log from now on (before the first output): a container's log is opened while it is being
    /// started, after attachers may have come.
    /// </summary>
    public void UseLog(IContainerLogWriter? writer)
    {
        lock (_gate)
        {
            if (_closed)
                writer?.Dispose();
            else
                _log = writer;
        }
    }

    /// <summary>One chunk: <paramref name="length"/> bytes at <paramref name="buffer"/>[<see cref="HeaderRoom"/>..].</summary>
    public void Deliver(StdStream stream, byte[] buffer, int length)
    {
        lock (_gate)
        {
            var data = buffer.AsSpan(HeaderRoom, length);
            if (_log is not null && !_logFailed)
            {
                try
                {
                    _log.Write((LogSource)(byte)stream, data, DateTimeOffset.UtcNow);
                }
                catch (LogWriteException e)
                {
                    EntriesDropped(e);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    LogFailed(e);
                }
            }
            if (_targets.Count == 0)
                return;
            ReadOnlySpan<byte> frame = data;
            if (!raw)
            {
                MultiplexedStream.WriteHeader(buffer.AsSpan(0, HeaderRoom), stream, length);
                frame = buffer.AsSpan(0, HeaderRoom + length);
            }
            for (int i = _targets.Count - 1; i >= 0; i--)
            {
                var target = _targets[i];
                if (target.Wants(stream) && !target.TrySend(frame))
                {
                    target.Close();
                    _targets.RemoveAt(i);
                }
            }
        }
    }

    /// <summary>The stream has ended (its pump saw end of file).</summary>
    public void Complete(StdStream stream)
    {
        lock (_gate)
        {
            if (_log is null || _logFailed)
                return;
            try
            {
                _log.Complete((LogSource)(byte)stream, DateTimeOffset.UtcNow);
            }
            catch (LogWriteException e)
            {
                EntriesDropped(e);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                LogFailed(e);
            }
        }
    }

    /// <summary>After the last output: closes every target (and any added later) and the log.</summary>
    public void CloseAll()
    {
        lock (_gate)
        {
            _closed = true;
            foreach (var target in _targets)
                target.Close();
            _targets.Clear();
            try
            {
                _log?.Dispose();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                LogFailed(e);
            }
        }
    }

    /// <summary>Entries lost (a full disk, for a while): noted in shim.log, the first few times only.</summary>
    void EntriesDropped(LogWriteException e)
    {
        if (_dropReports++ < 10)
            ShimLog.Write($"log: {e.Message}");
    }

    /// <summary>A full disk must not stop the container: its output still reaches attachers, the log stops.</summary>
    void LogFailed(Exception e)
    {
        _logFailed = true;
        ShimLog.Write($"log: {e.Message}; logging stopped");
    }
}
