using Berth.Engine.Networks.Dns;

namespace Berth.Engine.Tests.Networks;

public sealed class DnsTcpFramingTests
{
    static readonly byte[] First = [0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0];
    static readonly byte[] Second = [.. Enumerable.Range(0, 300).Select(i => (byte)i)];

    /// <summary>A stream that hands out one byte per read, as a connection may deliver a message in pieces.</summary>
    sealed class Trickle(byte[] bytes) : MemoryStream(bytes)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(1, buffer.Length)], cancellationToken);
    }

    [Fact]
    public async Task Messages_written_one_after_another_are_read_back_one_by_one_then_the_end()
    {
        var wire = new MemoryStream();
        await DnsTcpFraming.WriteAsync(wire, First, default);
        await DnsTcpFraming.WriteAsync(wire, Second, default);
        byte[] bytes = wire.ToArray();
        Assert.Equal([0, (byte)First.Length], bytes[..2]);
        Assert.Equal([1, 44], bytes[(2 + First.Length)..(4 + First.Length)]);
        Assert.Equal(4 + First.Length + Second.Length, bytes.Length);

        foreach (var stream in new Stream[] { new MemoryStream(bytes), new Trickle(bytes) })
        {
            Assert.Equal(First, await DnsTcpFraming.ReadAsync(stream, default));
            Assert.Equal(Second, await DnsTcpFraming.ReadAsync(stream, default));
            Assert.Null(await DnsTcpFraming.ReadAsync(stream, default));
        }
    }

    [Fact]
    public async Task A_connection_that_ends_inside_a_message_or_sends_an_empty_one_is_an_error()
    {
        var wire = new MemoryStream();
        await DnsTcpFraming.WriteAsync(wire, Second, default);
        byte[] bytes = wire.ToArray();
        var cut = await Assert.ThrowsAsync<EndOfStreamException>(async () => await DnsTcpFraming.ReadAsync(new MemoryStream(bytes[..100]), default));
        Assert.Contains("98 of a message's 300 bytes", cut.Message);
        await Assert.ThrowsAsync<EndOfStreamException>(async () => await DnsTcpFraming.ReadAsync(new MemoryStream(bytes[..1]), default));
        await Assert.ThrowsAsync<InvalidDataException>(async () => await DnsTcpFraming.ReadAsync(new MemoryStream([0, 0, 1]), default));
    }

    [Fact]
    public async Task A_message_longer_than_the_length_prefix_can_say_is_refused()
    {
        var wire = new MemoryStream();
        await Assert.ThrowsAsync<ArgumentException>(async () => await DnsTcpFraming.WriteAsync(wire, new byte[DnsMessage.TcpMaxSize + 1], default));
        Assert.Equal(0, wire.Length);
        await DnsTcpFraming.WriteAsync(wire, new byte[DnsMessage.TcpMaxSize], default);
        Assert.Equal([0xFF, 0xFF], wire.ToArray()[..2]);
    }
}
