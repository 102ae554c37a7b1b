using System.Net;
using Berth.Engine.Networks.Dns;

namespace Berth.Engine.Tests.Networks;

public sealed class DnsMessageTests
{
    /// <summary>A query for "Web.Net1" type A with recursion desired, as a stub resolver sends it.</summary>
    static readonly byte[] Query =
    [
        0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        3, (byte)'W', (byte)'e', (byte)'b', 4, (byte)'N', (byte)'e', (byte)'t', (byte)'1', 0,
        0x00, 0x01, 0x00, 0x01,
    ];

    [Fact]
    public void The_question_is_read_lower_cased()
    {
        Assert.True(DnsMessage.TryReadQuestion(Query, out string name, out ushort type, out int end));
        Assert.Equal("web.net1", name);
        Assert.Equal(DnsMessage.TypeA, type);
        Assert.Equal(Query.Length, end);
    }

    [Fact]
    public void An_answer_carries_the_id_the_question_and_one_record_per_address()
    {
        var answer = DnsMessage.Answer(Query, Query.Length, DnsMessage.ResponseCode.NoError, [IPAddress.Parse("172.18.0.2"), IPAddress.Parse("172.18.0.3")]);
        Assert.Equal([0x12, 0x34], answer[..2]);
        Assert.Equal(0x85, answer[2]);   // response, authoritative, recursion desired
        Assert.Equal(0x80, answer[3]);   // recursion available, no error
        Assert.Equal([0, 1, 0, 2], answer[4..8]);
        Assert.Equal(Query[12..], answer[12..Query.Length]);
        int first = Query.Length;
        Assert.Equal([0xC0, 0x0C, 0, 1, 0, 1, 0, 0, 2, 0x58, 0, 4, 172, 18, 0, 2], answer[first..(first + 16)]);
        Assert.Equal([172, 18, 0, 3], answer[^4..]);
    }

    [Fact]
    public void Responses_and_malformed_packets_are_not_questions()
    {
        var response = (byte[])Query.Clone();
        response[2] |= 0x80;
        Assert.False(DnsMessage.TryReadQuestion(response, out _, out _, out _));
        Assert.False(DnsMessage.TryReadQuestion(Query.AsSpan(0, 20), out _, out _, out _));
        Assert.False(DnsMessage.TryReadQuestion(Query.AsSpan(0, 5), out _, out _, out _));
    }

    [Fact]
    public void Reverse_names_give_the_address()
    {
        Assert.Equal(IPAddress.Parse("172.18.0.2"), DnsMessage.ReverseAddress("2.0.18.172.in-addr.arpa"));
        Assert.Null(DnsMessage.ReverseAddress("web.net1"));
    }
}
