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
        Assert.Equal(IPAddress.Parse("fd12:3456::2"), DnsMessage.ReverseAddress("2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.6.5.4.3.2.1.d.f.ip6.arpa"));
        Assert.Null(DnsMessage.ReverseAddress("2.0.0.0.ip6.arpa"));
        Assert.Null(DnsMessage.ReverseAddress("web.net1"));
    }

    [Fact]
    public void An_IPv6_address_is_answered_as_an_aaaa_record()
    {
        var answer = DnsMessage.Answer(Query, Query.Length, DnsMessage.ResponseCode.NoError, [IPAddress.Parse("fd12:3456::2")]);
        Assert.Equal([0, 1, 0, 1], answer[4..8]);
        int first = Query.Length;
        Assert.Equal([0xC0, 0x0C, 0, 28, 0, 1, 0, 0, 2, 0x58, 0, 16], answer[first..(first + 12)]);
        Assert.Equal(IPAddress.Parse("fd12:3456::2").GetAddressBytes(), answer[(first + 12)..]);
    }

    /// <summary>The answer to <see cref="Query"/> with <paramref name="count"/> addresses: 16 bytes each after the question.</summary>
    static byte[] AnswerWith(int count, byte[]? query = null) =>
        DnsMessage.Answer(query ?? Query, (query ?? Query).Length, DnsMessage.ResponseCode.NoError,
            [.. Enumerable.Range(1, count).Select(i => new IPAddress([10, 0, (byte)(i / 256), (byte)i]))]);

    /// <summary><see cref="Query"/> with an OPT record offering <paramref name="size"/> bytes over UDP.</summary>
    static byte[] QueryWithOpt(ushort size)
    {
        var query = Query.ToList();
        query[11] = 1;
        query.AddRange([0, 0, 41, (byte)(size >> 8), (byte)size, 0, 0, 0, 0, 0, 0]);
        return [.. query];
    }

    [Fact]
    public void A_client_without_edns_takes_512_bytes_over_udp_and_one_with_it_what_it_offers_but_never_less()
    {
        Assert.Equal(512, DnsMessage.UdpLimit(Query));
        Assert.Equal(4096, DnsMessage.UdpLimit(QueryWithOpt(4096)));
        Assert.Equal(1232, DnsMessage.UdpLimit(QueryWithOpt(1232)));
        Assert.Equal(512, DnsMessage.UdpLimit(QueryWithOpt(100)));
        Assert.Equal(512, DnsMessage.UdpLimit(QueryWithOpt(4096).AsSpan(0, Query.Length + 5)));
    }

    [Fact]
    public void An_answer_that_fits_is_left_as_it_is()
    {
        var answer = AnswerWith(3);
        Assert.Same(answer, DnsMessage.Truncate(answer, 512));
        Assert.False(DnsMessage.IsTruncated(answer));
    }

    [Fact]
    public void An_answer_too_big_keeps_the_whole_records_that_fit_and_says_it_is_truncated()
    {
        var answer = AnswerWith(40);
        Assert.Equal(Query.Length + 40 * 16, answer.Length);
        var cut = DnsMessage.Truncate(answer, 512);
        int fit = (512 - Query.Length) / 16;
        Assert.Equal(Query.Length + fit * 16, cut.Length);
        Assert.True(DnsMessage.IsTruncated(cut));
        Assert.Equal(0x87, cut[2]);   // response, authoritative, truncated, recursion desired
        Assert.Equal(answer[3], cut[3]);
        Assert.Equal([0, 1, 0, (byte)fit, 0, 0, 0, 0], cut[4..12]);
        Assert.Equal(answer[12..cut.Length], cut[12..]);
        // A larger limit keeps more, and over TCP the whole answer goes.
        Assert.Equal(Query.Length + 40 * 16, DnsMessage.Truncate(answer, DnsMessage.TcpMaxSize).Length);
        Assert.Equal(Query.Length + 35 * 16, DnsMessage.Truncate(answer, Query.Length + 35 * 16 + 15).Length);
    }

    [Fact]
    public void A_forwarded_answer_keeps_its_opt_record_last_when_cut()
    {
        // As an upstream server answers an EDNS0 query: answers, one authority record, then its OPT record.
        var packet = AnswerWith(40).ToList();
        packet[9] = 1;
        packet[11] = 1;
        byte[] authority = [0xC0, 0x0C, 0, 2, 0, 1, 0, 0, 0, 60, 0, 2, 0xC0, 0x0C];
        byte[] opt = [0, 0, 41, 0x10, 0x00, 0, 0, 0, 0, 0, 0];
        packet.AddRange(authority);
        packet.AddRange(opt);
        var cut = DnsMessage.Truncate([.. packet], 512);
        int fit = (512 - Query.Length - opt.Length) / 16;
        Assert.Equal(Query.Length + fit * 16 + opt.Length, cut.Length);
        Assert.Equal([0, 1, 0, (byte)fit, 0, 0, 0, 1], cut[4..12]);
        Assert.Equal(opt, cut[^opt.Length..]);
        // Room for every answer but not the authority record: the answers stay, the authority record goes.
        var roomy = DnsMessage.Truncate([.. packet], Query.Length + 40 * 16 + opt.Length + 4);
        Assert.Equal([0, 1, 0, 40, 0, 0, 0, 1], roomy[4..12]);
        Assert.True(DnsMessage.IsTruncated(roomy));
    }

    [Fact]
    public void A_message_whose_records_cannot_be_read_is_cut_to_its_header()
    {
        var answer = AnswerWith(40);
        answer[7] = 200;   // more answers than the message holds
        var cut = DnsMessage.Truncate(answer, 512);
        Assert.Equal(12, cut.Length);
        Assert.True(DnsMessage.IsTruncated(cut));
        Assert.Equal(new byte[8], cut[4..12]);
    }

    [Fact]
    public void An_answer_is_to_a_query_when_it_is_a_response_with_its_id()
    {
        var answer = AnswerWith(1);
        Assert.True(DnsMessage.IsAnswerTo(answer, Query));
        answer[1] ^= 0xFF;
        Assert.False(DnsMessage.IsAnswerTo(answer, Query));
        Assert.False(DnsMessage.IsAnswerTo(Query, Query));
    }
}
