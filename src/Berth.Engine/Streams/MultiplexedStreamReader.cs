using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Berth.Engine.Streams;

/// <summary>The header of one frame of a multiplexed stream.</summary>
public readonly record struct MultiplexedFrame(StdStream Stream, int Length);

/// <summary>
/// Reads Docker's stdcopy frames (<see cref="MultiplexedStream"/>) from a stream: frame by frame with the payload
/// read in pieces (<see cref="ReadHeaderAsync"/>, <see cref="ReadPayloadAsync"/>), whole frames into a buffer the
/// reader owns (<see cref="ReadFrameAsync"/>), or everything demultiplexed to two streams (<see cref="CopyAsync"/>,
/// Docker's stdcopy.StdCopy). Not thread-safe.
/// </summary>
public sealed class MultiplexedStreamReader(Stream input)
{
    /// <summary>The largest payload <see cref="ReadFrameAsync"/> buffers (a header from a stream that is not multiplexed announces up to 4 GiB).</summary>
    public const int MaxBufferedFrame = 256 * 1024 * 1024;

    readonly byte[] _header = new byte[MultiplexedStream.HeaderLength];
    byte[] _payload = [];
    int _remaining;

    /// <summary>
    /// The header of the next frame, or null at the end of the input between two frames. Payload of the previous
    /// frame that was not read is skipped.
    /// </summary>
    public async ValueTask<MultiplexedFrame?> ReadHeaderAsync(CancellationToken ct = default)
    {
        await SkipPayloadAsync(ct).ConfigureAwait(false);
        int read = 0;
        while (read < _header.Length)
        {
            int n = await input.ReadAsync(_header.AsMemory(read), ct).ConfigureAwait(false);
            if (n == 0)
            {
                if (read == 0)
                    return null;
                throw new MultiplexedStreamException($"unexpected end of stream in a frame header ({read} of {_header.Length} bytes)");
            }
            read += n;
        }
        byte stream = _header[0];
        if (stream > (byte)StdStream.SystemErr)
            throw new MultiplexedStreamException($"Unrecognized input header: {stream}");
        uint length = BinaryPrimitives.ReadUInt32BigEndian(_header.AsSpan(4));
        if (length > int.MaxValue)
            throw new MultiplexedStreamException($"frame of {length} bytes is larger than this reader takes");
        _remaining = (int)length;
        return new MultiplexedFrame((StdStream)stream, (int)length);
    }

    /// <summary>Reads up to <paramref name="buffer"/>.Length bytes of the current frame's payload; 0 once all of it has been read.</summary>
    public async ValueTask<int> ReadPayloadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        if (_remaining == 0 || buffer.Length == 0)
            return 0;
        int n = await input.ReadAsync(buffer[..Math.Min(buffer.Length, _remaining)], ct).ConfigureAwait(false);
        if (n == 0)
            throw new MultiplexedStreamException($"unexpected end of stream with {_remaining} bytes of a frame to come");
        _remaining -= n;
        return n;
    }

    /// <summary>
    /// The next whole frame, or null at the end of the input. The payload lives in a buffer of the reader and stays
    /// valid until the next call.
    /// </summary>
    public async ValueTask<(StdStream Stream, ReadOnlyMemory<byte> Payload)?> ReadFrameAsync(CancellationToken ct = default)
    {
        if (await ReadHeaderAsync(ct).ConfigureAwait(false) is not { } frame)
            return null;
        if (frame.Length > MaxBufferedFrame)
            throw new MultiplexedStreamException($"frame of {frame.Length} bytes is larger than the {MaxBufferedFrame} bytes this reader buffers");
        if (_payload.Length < frame.Length)
            _payload = new byte[Math.Max(frame.Length, Math.Min(2 * _payload.Length, MaxBufferedFrame))];
        int read = 0;
        while (read < frame.Length)
            read += await ReadPayloadAsync(_payload.AsMemory(read, frame.Length - read), ct).ConfigureAwait(false);
        return (frame.Stream, _payload.AsMemory(0, frame.Length));
    }

    /// <summary>
    /// Docker's stdcopy.StdCopy: copies every frame's payload to <paramref name="stdout"/> (stdin and stdout frames) or
    /// <paramref name="stderr"/> until the input ends; a system-error frame ends the copy with its text as a
    /// <see cref="MultiplexedStreamException"/>. Returns the bytes written to each.
    /// </summary>
    public static async Task<(long Stdout, long Stderr)> CopyAsync(Stream input, Stream stdout, Stream stderr, CancellationToken ct = default)
    {
        var reader = new MultiplexedStreamReader(input);
        long outBytes = 0, errBytes = 0;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(32 * 1024);
        try
        {
            while (await reader.ReadHeaderAsync(ct).ConfigureAwait(false) is { } frame)
            {
                if (frame.Stream == StdStream.SystemErr)
                {
                    var text = new MemoryStream();
                    int m;
                    while ((m = await reader.ReadPayloadAsync(buffer, ct).ConfigureAwait(false)) > 0)
                        text.Write(buffer, 0, m);
                    throw new MultiplexedStreamException("error from daemon in stream: " + Encoding.UTF8.GetString(text.GetBuffer(), 0, (int)text.Length));
                }
                Stream target = frame.Stream == StdStream.Stderr ? stderr : stdout;
                int n;
                while ((n = await reader.ReadPayloadAsync(buffer, ct).ConfigureAwait(false)) > 0)
                {
                    await target.WriteAsync(buffer.AsMemory(0, n), ct).ConfigureAwait(false);
                    if (frame.Stream == StdStream.Stderr)
                        errBytes += n;
                    else
                        outBytes += n;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return (outBytes, errBytes);
    }

    async ValueTask SkipPayloadAsync(CancellationToken ct)
    {
        if (_remaining == 0)
            return;
        byte[] scratch = ArrayPool<byte>.Shared.Rent(Math.Min(_remaining, 32 * 1024));
        try
        {
            while (_remaining > 0)
                await ReadPayloadAsync(scratch, ct).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }
}
