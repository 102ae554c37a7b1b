using System.Text;
using Berth.Http;

namespace Berth.Http.Tests;

public class HijackTests
{
    static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The attach and exec shape: echo what the client sends in upper case until <c>quit</c>, half-close, then collect
    /// whatever the client still sends until it closes.
    /// </summary>
    static RequestHandler EchoThenHalfClose(TaskCompletionSource<string> afterHalfClose, TaskCompletionSource<string>? body = null) => async context =>
    {
        if (body is not null)
            body.SetResult(await new StreamReader(context.Request.Body).ReadToEndAsync());
        context.Response.SetHeader("Api-Version", "1.45");
        await using var stream = await context.Response.HijackAsync();
        var received = new StringBuilder();
        var buffer = new byte[4096];
        while (!received.ToString().EndsWith("quit", StringComparison.Ordinal))
        {
            int n = await stream.ReadAsync(buffer);
            if (n == 0)
                break;
            string text = Encoding.UTF8.GetString(buffer, 0, n);
            received.Append(text);
            await stream.WriteAsync(Encoding.UTF8.GetBytes(text.ToUpperInvariant()));
        }
        await stream.CloseWriteAsync();
        var after = new StringBuilder();
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
            after.Append(Encoding.UTF8.GetString(buffer, 0, read));
        afterHalfClose.SetResult(after.ToString());
    };

    [Fact]
    public async Task Upgrade_without_body_gets_dockerds_101_then_bytes_both_ways_and_a_half_close()
    {
        var after = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await TestServer.StartAsync(EchoThenHalfClose(after));
        await using var client = await server.ConnectAsync();
        // Bytes right behind the request reach the handler: the server must not lose what it buffered past the head.
        await client.SendAsync("POST /v1.45/containers/c1/attach?stream=1&stdin=1&stdout=1 HTTP/1.1\r\nHost: api.moby.localhost\r\n"
            + "Connection: Upgrade\r\nUpgrade: tcp\r\n\r\nearly ");

        Assert.Equal("HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n"
            + "Api-Version: 1.45\r\n\r\n", await client.ReadHeadAsync());
        Assert.Equal("EARLY ", Encoding.UTF8.GetString(await client.ReadExactlyAsync(6)));
        await client.SendAsync("quit");
        Assert.Equal("QUIT", Encoding.UTF8.GetString(await client.ReadExactlyAsync(4)));

        // The server half-closed: end of file here, while the client can still send.
        Assert.True(await client.AtEndAsync());
        await client.SendAsync("still talking");
        client.ShutdownSend();
        Assert.Equal("still talking", await after.Task.WaitAsync(Bound));
    }

    [Fact]
    public async Task Upgrade_with_a_json_body_as_exec_start_sends_it()
    {
        var after = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var body = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await TestServer.StartAsync(EchoThenHalfClose(after, body));
        await using var client = await server.ConnectAsync();
        const string json = "{\"Detach\":false,\"Tty\":false}";
        await client.SendAsync($"POST /v1.45/exec/e1/start HTTP/1.1\r\nHost: api.moby.localhost\r\nContent-Type: application/json\r\n"
            + $"Content-Length: {json.Length}\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n{json}");
        Assert.StartsWith("HTTP/1.1 101 UPGRADED\r\n", await client.ReadHeadAsync());
        Assert.Equal(json, await body.Task.WaitAsync(Bound));
        await client.SendAsync("ls; quit");
        Assert.Equal("LS; QUIT", Encoding.UTF8.GetString(await client.ReadExactlyAsync(8)));
        Assert.True(await client.AtEndAsync());
        client.ShutdownSend();
        Assert.Equal("", await after.Task.WaitAsync(Bound));
    }

    [Fact]
    public async Task Without_upgrade_the_answer_is_200_raw_stream()
    {
        var after = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await TestServer.StartAsync(EchoThenHalfClose(after));
        await using var client = await server.ConnectAsync();
        await client.SendAsync("POST /containers/c1/attach?stream=1 HTTP/1.1\r\nHost: b\r\n\r\n");
        Assert.Equal("HTTP/1.1 200 OK\r\nContent-Type: application/vnd.docker.raw-stream\r\nApi-Version: 1.45\r\n\r\n", await client.ReadHeadAsync());
        await client.SendAsync("quit");
        Assert.Equal("QUIT", Encoding.UTF8.GetString(await client.ReadExactlyAsync(4)));
        Assert.True(await client.AtEndAsync());
        client.ShutdownSend();
        await after.Task.WaitAsync(Bound);
    }

    [Fact]
    public async Task An_unread_body_is_drained_before_the_hijack()
    {
        var after = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await TestServer.StartAsync(EchoThenHalfClose(after));
        await using var client = await server.ConnectAsync();
        await client.SendAsync("POST /exec/e1/start HTTP/1.1\r\nHost: b\r\nContent-Length: 11\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n{\"x\":\"yz\"}\nquit");
        await client.ReadHeadAsync();
        // The body never reaches the stream; only what followed it does.
        Assert.Equal("QUIT", Encoding.UTF8.GetString(await client.ReadExactlyAsync(4)));
        Assert.True(await client.AtEndAsync());
        client.ShutdownSend();
        await after.Task.WaitAsync(Bound);
    }

    [Fact]
    public async Task Client_half_close_is_end_of_file_not_an_abort()
    {
        var result = new TaskCompletionSource<(string Read, bool Aborted)>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await TestServer.StartAsync(async context =>
        {
            var aborted = context.Aborted;
            await using var stream = await context.Response.HijackAsync();
            string read = await new StreamReader(stream).ReadToEndAsync();
            await stream.WriteAsync(Encoding.UTF8.GetBytes($"read {read.Length}"));
            result.SetResult((read, aborted.IsCancellationRequested));
        });
        await using var client = await server.ConnectAsync();
        await client.SendAsync("POST /attach HTTP/1.1\r\nHost: b\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n");
        await client.ReadHeadAsync();
        await client.SendAsync("stdin data");
        client.ShutdownSend();
        Assert.Equal(("stdin data", false), await result.Task.WaitAsync(Bound));
        Assert.Equal("read 10", Encoding.UTF8.GetString(await client.ReadToEndAsync()));
    }

    [Fact]
    public async Task Concurrent_writers_never_interleave_inside_a_write()
    {
        const int Frames = 200;
        await using var server = await TestServer.StartAsync(async context =>
        {
            await using var stream = await context.Response.HijackAsync("application/vnd.docker.multiplexed-stream");
            async Task Pump(byte kind)
            {
                for (int i = 0; i < Frames; i++)
                {
                    byte[] frame = new byte[8 + 1000];
                    frame[0] = kind;
                    frame[7] = 0; // the payload length is fixed; the payload repeats the stream's kind
                    frame.AsSpan(8).Fill(kind);
                    await stream.WriteAsync(frame);
                }
            }
            await Task.WhenAll(Pump(1), Pump(2));
        });
        await using var client = await server.ConnectAsync();
        await client.SendAsync("POST /attach HTTP/1.1\r\nHost: b\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n");
        Assert.Contains("Content-Type: application/vnd.docker.multiplexed-stream\r\n", await client.ReadHeadAsync());
        for (int i = 0; i < 2 * Frames; i++)
        {
            byte[] frame = await client.ReadExactlyAsync(1008);
            Assert.True(frame.AsSpan(8).IndexOfAnyExcept(frame[0]) < 0, $"frame {i} mixes two writers");
        }
        Assert.True(await client.AtEndAsync());
    }
}
