using System.Buffers;
using System.Text;
using Berth.Http;

namespace Berth.Http.Tests;

public class RequestParsingTests
{
    static HttpRequest Parse(string head) => RequestHeadParser.Parse(Encoding.UTF8.GetBytes(head));

    [Fact]
    public void Head_fields_and_target()
    {
        var request = Parse("POST /v1.45/build?t=a%3Ab&q=1+2&flag HTTP/1.1\r\nHost: api.moby.localhost\r\nX-Registry-Config:  e30= \r\n"
            + "Content-Length: 12\r\nx-multi: 1\r\nX-Multi: 2\r\n\r\n");
        Assert.Equal("POST", request.Method);
        Assert.Equal("/v1.45/build", request.Path);
        Assert.Equal("/v1.45/build?t=a%3Ab&q=1+2&flag", request.RawTarget);
        Assert.Equal("a:b", request.Query.Get("t"));
        Assert.Equal("1 2", request.Query.Get("q"));
        Assert.True(request.Query.Has("flag"));
        Assert.Equal("e30=", request.Headers.Get("x-registry-config"));
        Assert.Equal(["1", "2"], request.Headers.GetAll("X-MULTI"));
        Assert.Equal(12, request.ContentLength);
        Assert.True(request.HasBody);
        Assert.False(request.WantsUpgrade);
        Assert.Equal("HTTP/1.1", request.Protocol);
    }

    [Fact]
    public void Upgrade_and_connection_tokens()
    {
        var request = Parse("POST /exec/x/start HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n");
        Assert.True(request.WantsUpgrade);
        Assert.Equal("tcp", request.Upgrade);
        Assert.True(request.KeepAlive);
        Assert.False(Parse("GET / HTTP/1.1\r\nConnection: keep-alive, close\r\n\r\n").KeepAlive);
        Assert.False(Parse("GET / HTTP/1.0\r\n\r\n").KeepAlive);
        Assert.True(Parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").KeepAlive);
    }

    [Fact]
    public void Absolute_form_targets_keep_their_path_and_query()
    {
        var request = Parse("GET http://docker/v1.45/info?x=1 HTTP/1.1\r\n\r\n");
        Assert.Equal("/v1.45/info", request.Path);
        Assert.Equal("1", request.Query.Get("x"));
        Assert.Equal("/", Parse("GET http://docker HTTP/1.1\r\n\r\n").Path);
    }

    [Theory]
    [InlineData("GET /x HTTP/1.1\r\nX: a\u0001b\r\n\r\n", 400)]
    [InlineData("GET /x HTTP/1.1\r\n: empty\r\n\r\n", 400)]
    [InlineData("GET /x HTTP/1.1\r\nNoColon\r\n\r\n", 400)]
    [InlineData("GET /x HTTP/1.1\r\nContent-Length: -1\r\n\r\n", 400)]
    [InlineData("GET /x HTTP/1.1\r\nContent-Length: 1x\r\n\r\n", 400)]
    [InlineData("GET /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", 501)]
    [InlineData("GET /x HTTP/1.1\r\nExpect: something\r\n\r\n", 417)]
    [InlineData("G(T /x HTTP/1.1\r\n\r\n", 400)]
    [InlineData("GET /x HTTP/1.1 extra\r\n\r\n", 400)]
    [InlineData("GET  /x HTTP/1.1\r\n\r\n", 400)]
    public void Malformed_heads_are_refused_with_gos_status(string head, int status) =>
        Assert.Equal(status, Assert.Throws<BadHttpRequestException>(() => Parse(head)).StatusCode);

    [Fact]
    public void Same_content_length_twice_is_accepted()
    {
        Assert.Equal(5, Parse("POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n").ContentLength);
    }

    [Fact]
    public void Head_end_is_found_across_segments_and_reads()
    {
        byte[] bytes = Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: x\r\n\r\nBODY");
        var scan = new RequestHeadParser.Scan();
        for (int available = 1; available < bytes.Length; available++)
        {
            var sequence = Segmented(bytes.AsMemory(0, available), 3);
            if (RequestHeadParser.TryFindEnd(sequence, ref scan, out long length))
            {
                Assert.Equal(bytes.Length - 4, length);
                Assert.Equal(bytes.Length - 4, available);
                return;
            }
        }
        Assert.Fail("the end of the head was not found");
    }

    static ReadOnlySequence<byte> Segmented(ReadOnlyMemory<byte> data, int size)
    {
        Segment? first = null, last = null;
        for (int i = 0; i < data.Length; i += size)
        {
            var part = data.Slice(i, Math.Min(size, data.Length - i));
            if (first is null)
                first = last = new Segment(part, 0);
            else
                last = last!.Append(part);
        }
        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }

    [Theory]
    [InlineData("", false)]
    [InlineData("0", false)]
    [InlineData("no", false)]
    [InlineData("False", false)]
    [InlineData(" none ", false)]
    [InlineData("1", true)]
    [InlineData("true", true)]
    [InlineData("True", true)]
    [InlineData("yes", true)]
    [InlineData("anything", true)]
    public void Query_booleans_follow_dockerd(string value, bool expected)
    {
        var request = Parse($"GET /?flag={Uri.EscapeDataString(value)} HTTP/1.1\r\n\r\n");
        Assert.Equal(expected, request.Query.GetBool("flag"));
        Assert.Equal(expected, request.Query.GetBool("flag", defaultValue: !expected));
        Assert.True(request.Query.GetBool("absent", defaultValue: true));
        Assert.False(request.Query.GetBool("absent"));
    }

    [Fact]
    public void Query_takes_the_first_value_and_drops_bad_pairs()
    {
        var query = Parse("GET /?a=1&a=2&bad=%zz&semi=1;2&&=empty&filters=%7B%22label%22%3A%5B%22a%3Db%22%5D%7D HTTP/1.1\r\n\r\n").Query;
        Assert.Equal("1", query.Get("a"));
        Assert.Equal(["1", "2"], query.GetAll("a"));
        Assert.Null(query.Get("bad"));
        Assert.Null(query.Get("semi"));
        Assert.Equal("empty", query.Get(""));
        Assert.Equal("{\"label\":[\"a=b\"]}", query.Get("filters"));
        Assert.Equal(["a", "", "filters"], query.Names);
        Assert.Null(query.Get("A"));
    }
}
