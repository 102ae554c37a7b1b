using System.Text;
using Berth.Engine.Streams;

namespace Berth.Engine.Tests.Streams;

/// <summary>Docker's stdcopy framing: headers, frames, reading them back, demultiplexing.</summary>
public sealed class MultiplexedStreamTests
{
    [Fact]
    public void A_header_is_the_stream_three_zeros_and_the_big_endian_length()
    {
        var header = new byte[8];
        MultiplexedStream.WriteHeader(header, StdStream.Stderr, 0x01020304);
        Assert.Equal([2, 0, 0, 0, 1, 2, 3, 4], header);
        MultiplexedStream.WriteHeader(header, StdStream.SystemErr, 5);
        Assert.Equal([3, 0, 0, 0, 0, 0, 0, 5], header);
    }

    [Fact]
    public async Task Frames_are_read_back_as_written()
    {
        byte[] large = Encoding.ASCII.GetBytes(new string('z', 100_000));
        var stream = new MemoryStream();
        await MultiplexedStream.WriteFrameAsync(stream, StdStream.Stdout, "out\n"u8.ToArray(), default);
        await MultiplexedStream.WriteFrameAsync(stream, StdStream.Stderr, "err"u8.ToArray(), default);
        await MultiplexedStream.WriteFrameAsync(stream, StdStream.Stdin, Array.Empty<byte>(), default);
        await MultiplexedStream.WriteFrameAsync(stream, StdStream.Stdout, large, default);
        Assert.Equal([1, 0, 0, 0, 0, 0, 0, 4, .. "out\n"u8], stream.ToArray()[..12]);

        stream.Position = 0;
        var reader = new MultiplexedStreamReader(stream);
        var frames = new List<(StdStream, string)>();
        while (await reader.ReadFrameAsync() is { } frame)
            frames.Add((frame.Stream, Encoding.ASCII.GetString(frame.Payload.Span)));
        Assert.Equal([(StdStream.Stdout, "out\n"), (StdStream.Stderr, "err"), (StdStream.Stdin, ""), (StdStream.Stdout, new string('z', 100_000))], frames);
    }

    [Fact]
    public async Task Payloads_can_be_read_in_pieces_and_unread_ones_are_skipped()
    {
        var stream = new MemoryStream();
        await MultiplexedStream.WriteFrameAsync(stream, StdStream.Stdout, "0123456789"u8.ToArray(), default);
        await MultiplexedStream.WriteFrameAsync(stream, StdStream.Stderr, "skipped"u8.ToArray(), default);
        await MultiplexedStream.WriteFrameAsync(stream, StdStream.Stdout, "last"u8.ToArray(), default);
        stream.Position = 0;
        var reader = new MultiplexedStreamReader(stream);
        Assert.Equal(new MultiplexedFrame(StdStream.Stdout, 10), await reader.ReadHeaderAsync());
        var piece = new byte[4];
        var read = new StringBuilder();
        int n;
        while ((n = await reader.ReadPayloadAsync(piece)) > 0)
            read.Append(Encoding.ASCII.GetString(piece, 0, n));
        Assert.Equal("0123456789", read.ToString());
        Assert.Equal(new MultiplexedFrame(StdStream.Stderr, 7), await reader.ReadHeaderAsync());
        Assert.Equal(new MultiplexedFrame(StdStream.Stdout, 4), await reader.ReadHeaderAsync());
        Assert.Equal(4, await reader.ReadPayloadAsync(piece));
        Assert.Null(await reader.ReadHeaderAsync());
    }

    [Fact]
    public async Task Copy_demultiplexes_to_stdout_and_stderr_as_stdcopy_does()
    {
        var stream = new MemoryStream();
        await MultiplexedStream.WriteFrameAsync(stream, StdStream.Stdout, "a"u8.ToArray(), default);
        await MultiplexedStream.WriteFrameAsync(stream, StdStream.Stderr, "bb"u8.ToArray(), default);
        await MultiplexedStream.WriteFrameAsync(stream, StdStream.Stdin, "c"u8.ToArray(), default);
        stream.Position = 0;
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        Assert.Equal((2L, 2L), await MultiplexedStreamReader.CopyAsync(stream, stdout, stderr));
        Assert.Equal("ac"u8.ToArray(), stdout.ToArray());
        Assert.Equal("bb"u8.ToArray(), stderr.ToArray());
    }

    [Fact]
    public async Task A_system_error_frame_ends_the_copy_with_its_text()
    {
        var stream = new MemoryStream();
        await MultiplexedStream.WriteFrameAsync(stream, StdStream.Stdout, "a"u8.ToArray(), default);
        await MultiplexedStream.WriteFrameAsync(stream, StdStream.SystemErr, "it broke"u8.ToArray(), default);
        stream.Position = 0;
        var e = await Assert.ThrowsAsync<MultiplexedStreamException>(() => MultiplexedStreamReader.CopyAsync(stream, new MemoryStream(), new MemoryStream()));
        Assert.Equal("error from daemon in stream: it broke", e.Message);
    }

    [Fact]
    public async Task Broken_framing_is_an_error()
    {
        var truncatedHeader = new MultiplexedStreamReader(new MemoryStream([1, 0, 0]));
        await Assert.ThrowsAsync<MultiplexedStreamException>(() => truncatedHeader.ReadHeaderAsync().AsTask());
        var truncatedPayload = new MultiplexedStreamReader(new MemoryStream([1, 0, 0, 0, 0, 0, 0, 9, 65]));
        await Assert.ThrowsAsync<MultiplexedStreamException>(() => truncatedPayload.ReadFrameAsync().AsTask());
        var unknownStream = new MultiplexedStreamReader(new MemoryStream([7, 0, 0, 0, 0, 0, 0, 1, 65]));
        var e = await Assert.ThrowsAsync<MultiplexedStreamException>(() => unknownStream.ReadHeaderAsync().AsTask());
        Assert.Equal("Unrecognized input header: 7", e.Message);
    }
}
