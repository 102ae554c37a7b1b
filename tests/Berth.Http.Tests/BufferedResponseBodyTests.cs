using Berth.Http;

namespace Berth.Http.Tests;

/// <summary>A body sent as Go's net/http sends an unflushed one: with its length when it stays within 2048 bytes, chunked beyond.</summary>
public sealed class BufferedResponseBodyTests
{
    static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    static async Task<HttpResponseMessage> GetWithBody(TestServer server, int size)
    {
        using var http = server.CreateClient();
        var response = await http.GetAsync($"/body?size={size}").WaitAsync(Bound);
        return response;
    }

    static Task<TestServer> Server() => TestServer.StartAsync(async context =>
    {
        int size = int.Parse(context.Request.Query.Get("size")!, System.Globalization.CultureInfo.InvariantCulture);
        var body = new BufferedResponseBody(context, "application/x-tar");
        // Written in pieces, as a tar writer does.
        for (int i = 0; i < size; i += 512)
            body.Write(new byte[Math.Min(512, size - i)]);
        await body.CompleteAsync();
    });

    [Theory]
    [InlineData(0)]
    [InlineData(2048)]
    public async Task A_body_within_go_s_buffer_goes_with_its_length(int size)
    {
        await using var server = await Server();
        using var response = await GetWithBody(server, size);
        Assert.Equal(size, response.Content.Headers.ContentLength);
        Assert.Null(response.Headers.TransferEncodingChunked);
        Assert.Equal(size, (await response.Content.ReadAsByteArrayAsync()).Length);
    }

    [Fact]
    public async Task A_longer_body_is_chunked_and_whole()
    {
        await using var server = await Server();
        using var response = await GetWithBody(server, 10_000);
        Assert.True(response.Headers.TransferEncodingChunked);
        Assert.Equal(10_000, (await response.Content.ReadAsByteArrayAsync()).Length);
    }
}
