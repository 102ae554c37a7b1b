using System.Security.Cryptography;

namespace Berth.Engine.Logs;

/// <summary>Receives the messages a <see cref="LineSplitter"/> cuts.</summary>
internal interface ILogMessageSink
{
    void Append(in LogMessage message);
}

/// <summary>
/// dockerd's log copier for one source: bytes in, one message per '\n'-terminated line (without the '\n') out.
/// A line is held in a 16 KiB buffer; when the buffer fills without a '\n', its contents go out as a partial piece,
/// so a line of 16 KiB or more becomes pieces of exactly 16 KiB and a last piece with the rest. Pieces share the
/// first one's time and a random 64-character ID (Docker's PartialLogMetaData). Allocates only at construction.
/// </summary>
internal sealed class LineSplitter(LogSource source)
{
    /// <summary>dockerd's copier buffer: the longest line that is not cut.</summary>
    public const int BufferSize = 16 * 1024;

    readonly byte[] _buffer = new byte[BufferSize];
    readonly byte[] _partialId = new byte[64];
    int _length;
    bool _inPartial;
    int _ordinal;
    DateTimeOffset _partialTime;

    public void Write(ReadOnlySpan<byte> chunk, DateTimeOffset now, ILogMessageSink sink)
    {
        while (!chunk.IsEmpty)
        {
            int room = BufferSize - _length;
            ReadOnlySpan<byte> take = chunk.Length <= room ? chunk : chunk[..room];
            int newline = take.IndexOf((byte)'\n');
            if (newline >= 0)
            {
                ReadOnlySpan<byte> line;
                if (_length == 0)
                {
                    line = take[..newline];
                }
                else
                {
                    take[..newline].CopyTo(_buffer.AsSpan(_length));
                    line = _buffer.AsSpan(0, _length + newline);
                }
                EmitLine(line, now, sink);
                _length = 0;
                chunk = chunk[(newline + 1)..];
            }
            else
            {
                take.CopyTo(_buffer.AsSpan(_length));
                _length += take.Length;
                chunk = chunk[take.Length..];
                if (_length == BufferSize)
                {
                    EmitPiece(now, sink);
                    _length = 0;
                }
            }
        }
    }

    /// <summary>End of file: the unterminated tail goes out as a partial piece that is not last, as dockerd sends it.</summary>
    public void Complete(DateTimeOffset now, ILogMessageSink sink)
    {
        if (_length > 0)
        {
            EmitPiece(now, sink);
            _length = 0;
        }
        _inPartial = false;
    }

    void EmitLine(ReadOnlySpan<byte> line, DateTimeOffset now, ILogMessageSink sink)
    {
        if (!_inPartial)
        {
            sink.Append(new LogMessage(source, line, now));
            return;
        }
        _inPartial = false;
        sink.Append(new LogMessage(source, line, _partialTime) { Partial = true, Last = true, Ordinal = _ordinal + 1, PartialId = _partialId });
    }

    void EmitPiece(DateTimeOffset now, ILogMessageSink sink)
    {
        if (_inPartial)
        {
            _ordinal++;
        }
        else
        {
            _inPartial = true;
            _ordinal = 1;
            _partialTime = now;
            NewPartialId();
        }
        sink.Append(new LogMessage(source, _buffer.AsSpan(0, _length), _partialTime) { Partial = true, Ordinal = _ordinal, PartialId = _partialId });
    }

    // Docker's stringid.GenerateRandomID: 32 random bytes in lowercase hex.
    void NewPartialId()
    {
        Span<byte> random = stackalloc byte[32];
        RandomNumberGenerator.Fill(random);
        Convert.TryToHexStringLower(random, _partialId, out _);
    }
}
