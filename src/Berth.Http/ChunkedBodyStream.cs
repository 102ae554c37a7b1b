using System.Buffers;
using System.IO.Pipelines;

namespace Berth.Http;

/// <summary>
/// A body in <c>Transfer-Encoding: chunked</c> (RFC 9112 section 7.1), as the docker CLI streams <c>load</c>,
/// <c>import</c> and build contexts: chunk extensions ignored, trailer fields read and dropped, framing lines bounded.
/// </summary>
internal sealed class ChunkedBodyStream(HttpConnection connection, bool expectContinue)
    : RequestBodyStream(connection, expectContinue)
{
    const int MaxSizeLine = 4096;
    const int MaxTrailerBytes = 64 * 1024;

    enum State { Size, Data, DataEnd, Trailer, Done }

    State _state;
    long _chunkRemaining;
    int _trailerBytes;

    public override bool IsComplete => _state == State.Done;

    protected override async ValueTask<int> ReadBodyAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        if (destination.IsEmpty)
            return 0;
        while (_state != State.Done)
        {
            var result = await Input.ReadAsync(cancellationToken).ConfigureAwait(false);
            int n = Process(result, destination.Span);
            if (n > 0)
                return n;
        }
        return 0;
    }

    /// <summary>Advances through framing and copies chunk data; 0 when more input is needed or the body ended.</summary>
    int Process(in ReadResult result, Span<byte> destination)
    {
        var reader = new SequenceReader<byte>(result.Buffer);
        try
        {
            while (true)
            {
                switch (_state)
                {
                    case State.Size:
                        if (!TryReadLine(ref reader, MaxSizeLine, out var sizeLine))
                            return NeedMore(result, reader);
                        _chunkRemaining = ParseChunkSize(sizeLine);
                        _state = _chunkRemaining == 0 ? State.Trailer : State.Data;
                        break;
                    case State.Data:
                        if (reader.End)
                            return NeedMore(result, reader);
                        int n = (int)Math.Min(Math.Min(reader.Remaining, _chunkRemaining), destination.Length);
                        reader.UnreadSequence.Slice(0, n).CopyTo(destination);
                        reader.Advance(n);
                        _chunkRemaining -= n;
                        if (_chunkRemaining == 0)
                            _state = State.DataEnd;
                        Input.AdvanceTo(reader.Position);
                        return n;
                    case State.DataEnd:
                        if (reader.Remaining < 2)
                            return NeedMore(result, reader);
                        if (!reader.IsNext("\r\n"u8, advancePast: true))
                            throw BadHttpRequestException.BadRequest("malformed chunked encoding: chunk data not followed by CRLF");
                        _state = State.Size;
                        break;
                    case State.Trailer:
                        long before = reader.Consumed;
                        if (!TryReadLine(ref reader, MaxTrailerBytes, out var trailerLine))
                            return NeedMore(result, reader);
                        _trailerBytes += (int)(reader.Consumed - before);
                        if (_trailerBytes > MaxTrailerBytes)
                            throw BadHttpRequestException.BadRequest("chunked trailer too large");
                        if (trailerLine.IsEmpty)
                        {
                            _state = State.Done;
                            Input.AdvanceTo(reader.Position);
                            return 0;
                        }
                        break;
                    default:
                        Input.AdvanceTo(reader.Position);
                        return 0;
                }
            }
        }
        catch
        {
            Input.AdvanceTo(result.Buffer.Start);
            throw;
        }
    }

    int NeedMore(in ReadResult result, in SequenceReader<byte> reader)
    {
        if (result.IsCompleted)
            throw UnexpectedEnd();
        Input.AdvanceTo(reader.Position, result.Buffer.End);
        return 0;
    }

    /// <summary>A line without its CRLF (or bare LF); false when its end has not arrived and it is still within bounds.</summary>
    static bool TryReadLine(ref SequenceReader<byte> reader, int limit, out ReadOnlySequence<byte> line)
    {
        if (!reader.TryReadTo(out line, (byte)'\n'))
        {
            if (reader.Remaining > limit)
                throw BadHttpRequestException.BadRequest("malformed chunked encoding: line too long");
            return false;
        }
        if (line.Length > limit)
            throw BadHttpRequestException.BadRequest("malformed chunked encoding: line too long");
        if (!line.IsEmpty && line.Slice(line.Length - 1).FirstSpan[0] == '\r')
            line = line.Slice(0, line.Length - 1);
        return true;
    }

    static long ParseChunkSize(ReadOnlySequence<byte> line)
    {
        Span<byte> copy = stackalloc byte[MaxSizeLine];
        var text = copy[..(int)line.Length];
        line.CopyTo(text);
        int semicolon = text.IndexOf((byte)';');
        var digits = (semicolon < 0 ? text : text[..semicolon]).TrimEnd(" \t"u8);
        if (digits.IsEmpty || digits.Length > 15)
            throw BadHttpRequestException.BadRequest("malformed chunked encoding: invalid chunk size");
        long size = 0;
        foreach (byte c in digits)
        {
            int value = c switch
            {
                >= (byte)'0' and <= (byte)'9' => c - '0',
                >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
                _ => throw BadHttpRequestException.BadRequest("malformed chunked encoding: invalid chunk size"),
            };
            size = (size << 4) | (uint)value;
        }
        return size;
    }
}
