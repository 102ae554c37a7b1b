using System.Buffers;
using System.Buffers.Binary;

namespace Berth.Engine.Streams;

/// <summary>
/// Docker's stdcopy framing, used by attach, logs and exec of containers without a terminal: every write becomes
/// one frame, an 8-byte header <c>[stream, 0, 0, 0, size as big-endian uint32]</c> followed by <c>size</c> bytes of payload.
/// </summary>
public static class MultiplexedStream
{
    public const int HeaderLength = 8;

    public static void WriteHeader(Span<byte> header, StdStream stream, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        header[0] = (byte)stream;
        header[1] = 0;
        header[2] = 0;
        header[3] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(header[4..HeaderLength], (uint)length);
    }

    /// <summary>
    /// Writes one frame. Header and payload go out in one write when the payload is small (one TCP segment, as
    /// Docker's writer sends them), in two otherwise so that a large payload is not copied.
    /// </summary>
    public static async ValueTask WriteFrameAsync(Stream output, StdStream stream, ReadOnlyMemory<byte> payload, CancellationToken ct)
    {
        const int CopyLimit = 16 * 1024;
        if (payload.Length <= CopyLimit)
        {
            byte[] frame = ArrayPool<byte>.Shared.Rent(HeaderLength + payload.Length);
            try
            {
                WriteHeader(frame, stream, payload.Length);
                payload.Span.CopyTo(frame.AsSpan(HeaderLength));
                await output.WriteAsync(frame.AsMemory(0, HeaderLength + payload.Length), ct).ConfigureAwait(false);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(frame);
            }
            return;
        }
        byte[] header = ArrayPool<byte>.Shared.Rent(HeaderLength);
        try
        {
            WriteHeader(header, stream, payload.Length);
            await output.WriteAsync(header.AsMemory(0, HeaderLength), ct).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(header);
        }
        await output.WriteAsync(payload, ct).ConfigureAwait(false);
    }
}
