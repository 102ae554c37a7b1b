using System.Text;
using Berth.Engine.Streams;

namespace Berth.Engine.Health;

/// <summary>
/// A probe's stdout and stderr, interleaved as they come: the first 4096 bytes are kept and the rest
/// dropped, shown with "..." (moby's limitedBuffer). Filled by one reader.
/// </summary>
public sealed class ProbeOutput
{
    /// <summary>Docker's maxOutputLen.</summary>
    public const int MaxLength = 4096;

    readonly byte[] _kept = new byte[MaxLength];
    int _length;
    bool _truncated;

    public void Append(ReadOnlySpan<byte> data)
    {
        lock (_kept)
        {
            int keep = Math.Min(MaxLength - _length, data.Length);
            data[..keep].CopyTo(_kept.AsSpan(_length));
            _length += keep;
            _truncated |= keep < data.Length;
        }
    }

    /// <summary>Reads a multiplexed stream to its end, both streams into this output.</summary>
    public async Task ReadAllAsync(MultiplexedStreamReader reader)
    {
        while (await reader.ReadFrameAsync() is { } frame)
            Append(frame.Payload.Span);
    }

    /// <summary>The output as text (invalid UTF-8 replaced, as Go's JSON does), "..." appended when some was dropped.</summary>
    public override string ToString()
    {
        // A timed-out probe's reader may still be appending.
        lock (_kept)
        {
            string text = Encoding.UTF8.GetString(_kept, 0, _length);
            return _truncated ? text + "..." : text;
        }
    }
}
