using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Berth.Http;

namespace Berth.Http.Tests;

public class HttpServerTests
{
    /// <summary>Guards waits that should end promptly against hanging the run; never asserted as a duration.</summary>
    static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Keep_alive_serves_a_sequence_of_requests_on_one_connection()
    {
        int served = 0;
        await using var server = await TestServer.StartAsync(context =>
            context.Response.WriteAsync($"{Interlocked.Increment(ref served)} {context.Request.Method} {context.Request.Path}"));
        await using var client = await server.ConnectAsync();

        for (int i = 1; i <= 3; i++)
        {
            await client.SendAsync($"GET /item/{i} HTTP/1.1\r\nHost: berth\r\n\r\n");
            var response = await client.ReadResponseAsync();
            Assert.Equal(200, response.Status);
            Assert.Equal($"{i} GET /item/{i}", response.Text);
            Assert.Null(response.Header("Connection"));
            Assert.NotNull(response.Header("Date"));
        }

        // Pipelined: both requests in one write, answered in order.
        await client.SendAsync("GET /a HTTP/1.1\r\nHost: berth\r\n\r\nGET /b HTTP/1.1\r\nHost: berth\r\n\r\n");
        Assert.Equal("4 GET /a", (await client.ReadResponseAsync()).Text);
        Assert.Equal("5 GET /b", (await client.ReadResponseAsync()).Text);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_large_response_on_a_closing_connection_reaches_a_slow_client_whole(bool tcp)
    {
        // Larger than what the kernel's socket buffers hold, so part of it is still in flight when the handler returns.
        byte[] body = RandomNumberGenerator.GetBytes(24 << 20);
        await using var server = await TestServer.StartAsync(context => context.Response.WriteStreamAsync(new MemoryStream(body), body.Length, "application/octet-stream"));
        var endpoint = tcp ? server.ListenTcp(tls: null) : null;
        await using var client = endpoint is null ? await server.ConnectAsync() : await RawConnection.ConnectTcpAsync(endpoint);

        await client.SendAsync("GET /blob HTTP/1.1\r\nHost: berth\r\nConnection: close\r\n\r\n");
        await Task.Delay(300); // the client is busy elsewhere while the server finishes writing
        var response = await client.ReadResponseAsync().WaitAsync(Bound);

        Assert.Equal(200, response.Status);
        Assert.Equal("close", response.Header("Connection"));
        Assert.True(body.AsSpan().SequenceEqual(response.Body), $"received {response.Body.Length} of {body.Length} bytes");
    }

    [Theory]
    [InlineData("unix")]
    [InlineData("loopback")]
    [InlineData("host")]
    public async Task A_range_of_a_file_is_sent_exactly(string peer)
    {
        // An asynchronous file stream goes by sendfile from the stream's position to a peer on another machine (here: the
        // host's own address, which is not loopback), by a read/write loop to a local one.
        string path = Path.GetTempFileName();
        byte[] content = RandomNumberGenerator.GetBytes(3 << 20);
        await File.WriteAllBytesAsync(path, content);
        try
        {
            await using var server = await TestServer.StartAsync(async context =>
            {
                await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 0, FileOptions.Asynchronous);
                file.Seek(1000, SeekOrigin.Begin);
                await context.Response.WriteStreamAsync(file, 2 << 20, "application/octet-stream");
            });
            var endpoint = peer switch
            {
                "loopback" => server.ListenTcp(tls: null),
                "host" => server.ListenTcp(tls: null, HostAddress()),
                _ => null,
            };
            await using var client = endpoint is null ? await server.ConnectAsync() : await RawConnection.ConnectTcpAsync(endpoint);
            for (int i = 0; i < 2; i++)
            {
                await client.SendAsync("GET /file HTTP/1.1\r\nHost: berth\r\n\r\n");
                var response = await client.ReadResponseAsync().WaitAsync(Bound);
                Assert.True(content.AsSpan(1000, 2 << 20).SequenceEqual(response.Body), $"request {i}: {response.Body.Length} bytes, not the range");
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task HttpClient_reuses_the_connection_and_reads_headers_and_query()
    {
        await using var server = await TestServer.StartAsync(context =>
        {
            var request = context.Request;
            return context.Response.WriteAsync(
                $"{request.Headers.Get("x-test")}|{request.Query.Get("a")}|{string.Join(",", request.Query.GetAll("b"))}|{request.RawTarget}");
        });
        using var http = server.CreateClient();
        using var message = new HttpRequestMessage(HttpMethod.Get, "/q?a=1%202&b=x&b=y+z");
        message.Headers.Add("X-Test", "value");
        var response = await http.SendAsync(message);
        Assert.Equal("value|1 2|x,y z|/q?a=1%202&b=x&b=y+z", await response.Content.ReadAsStringAsync());
        Assert.Equal("value|1 2|x,y z|/q?a=1%202&b=x&b=y+z", await (await http.SendAsync(Clone(message))).Content.ReadAsStringAsync());
    }

    static HttpRequestMessage Clone(HttpRequestMessage message)
    {
        var copy = new HttpRequestMessage(message.Method, message.RequestUri);
        foreach (var header in message.Headers)
            copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
        return copy;
    }

    [Fact]
    public async Task Chunked_request_body_is_read_whole()
    {
        await using var server = await TestServer.StartAsync(async context =>
        {
            Assert.True(context.Request.IsChunked);
            Assert.True(context.Request.HasBody);
            using var sha = SHA256.Create();
            byte[] hash = await sha.ComputeHashAsync(context.Request.Body);
            await context.Response.WriteAsync(Convert.ToHexString(hash));
        });
        byte[] payload = new byte[3 * 1024 * 1024 + 17];
        new Random(7).NextBytes(payload);
        using var http = server.CreateClient();

        // An unseekable source without a length makes HttpClient send the body chunked, as the docker CLI's load does.
        using var content = new StreamContent(new UnseekableStream(payload), 50_000);
        var response = await http.PostAsync("/images/load", content);
        Assert.Equal(Convert.ToHexString(SHA256.HashData(payload)), await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Chunked_body_with_extensions_and_trailers_then_the_next_request()
    {
        await using var server = await TestServer.StartAsync(async context =>
        {
            string body = await new StreamReader(context.Request.Body).ReadToEndAsync();
            await context.Response.WriteAsync($"[{body}]");
        });
        await using var client = await server.ConnectAsync();
        await client.SendAsync("POST /x HTTP/1.1\r\nHost: b\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\nA \r\n, chunked!\r\n0\r\nX-Trailer: t\r\n\r\n");
        Assert.Equal("[hello, chunked!]", (await client.ReadResponseAsync()).Text);
        await client.SendAsync("POST /y HTTP/1.1\r\nHost: b\r\nContent-Length: 3\r\n\r\nabc");
        Assert.Equal("[abc]", (await client.ReadResponseAsync()).Text);
    }

    [Fact]
    public async Task Malformed_chunk_is_a_400_and_the_connection_closes()
    {
        await using var server = await TestServer.StartAsync(async context =>
        {
            await new StreamReader(context.Request.Body).ReadToEndAsync();
            await context.Response.WriteAsync("read");
        });
        await using var client = await server.ConnectAsync();
        await client.SendAsync("POST /x HTTP/1.1\r\nHost: b\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n");
        var response = await client.ReadResponseAsync();
        Assert.Equal(400, response.Status);
        Assert.Contains("invalid chunk size", response.Text);
        Assert.Equal("close", response.Header("Connection"));
        Assert.True(await client.AtEndAsync());
    }

    [Fact]
    public async Task Streaming_response_reaches_the_client_write_by_write()
    {
        var clientSawFirst = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await TestServer.StartAsync(async context =>
        {
            context.Response.SetHeader("Api-Version", "1.45");
            await using var stream = await context.Response.StartStreamAsync("application/json");
            await stream.WriteAsync("{\"n\":1}\n"u8.ToArray());
            // The second event is only written once the client has read the first: a buffered stream would deadlock here.
            await clientSawFirst.Task.WaitAsync(Bound);
            await stream.WriteAsync("{\"n\":2}\n"u8.ToArray());
        });
        using var http = server.CreateClient();
        using var response = await http.GetAsync("/events", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("chunked", response.Headers.TransferEncoding.ToString());
        Assert.Equal("1.45", response.Headers.GetValues("Api-Version").Single());
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.Equal("{\"n\":1}", await reader.ReadLineAsync().WaitAsync(Bound));
        clientSawFirst.SetResult();
        Assert.Equal("{\"n\":2}", await reader.ReadLineAsync().WaitAsync(Bound));
        Assert.Null(await reader.ReadLineAsync().WaitAsync(Bound));
    }

    [Fact]
    public async Task Aborted_fires_when_the_client_closes_during_a_stream()
    {
        var aborted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await TestServer.StartAsync(async context =>
        {
            var stream = await context.Response.StartStreamAsync("application/json");
            await stream.WriteAsync("{\"status\":\"start\"}\n"u8.ToArray());
            try
            {
                await Task.Delay(Timeout.Infinite, context.Aborted);
            }
            catch (OperationCanceledException)
            {
                aborted.SetResult();
            }
        });
        var client = await server.ConnectAsync();
        await client.SendAsync("GET /events HTTP/1.1\r\nHost: b\r\n\r\n");
        await client.ReadHeadAsync();
        Assert.Equal("{\"status\":\"start\"}\n", Encoding.UTF8.GetString((await client.ReadChunkAsync())!));
        Assert.False(aborted.Task.IsCompleted);
        await client.DisposeAsync();
        await aborted.Task.WaitAsync(Bound);
    }

    [Fact]
    public async Task Handler_that_returns_leaves_no_open_stream()
    {
        await using var server = await TestServer.StartAsync(async context =>
        {
            var stream = await context.Response.StartStreamAsync("text/plain");
            await stream.WriteAsync("partial"u8.ToArray());
            // Returns without disposing: the server writes the last chunk.
        });
        await using var client = await server.ConnectAsync();
        await client.SendAsync("GET /s HTTP/1.1\r\nHost: b\r\n\r\nGET /s HTTP/1.1\r\nHost: b\r\n\r\n");
        Assert.Equal("partial", (await client.ReadResponseAsync()).Text);
        Assert.Equal("partial", (await client.ReadResponseAsync()).Text);
    }

    [Fact]
    public async Task HEAD_gets_the_length_but_no_body()
    {
        await using var server = await TestServer.StartAsync(async context =>
        {
            if (context.Request.Path == "/stream")
            {
                var stream = await context.Response.StartStreamAsync("text/plain");
                await stream.WriteAsync("dropped"u8.ToArray());
                return;
            }
            await context.Response.WriteAsync("0123456789"u8.ToArray(), "text/plain");
        });
        await using var client = await server.ConnectAsync();
        await client.SendAsync("HEAD /x HTTP/1.1\r\nHost: b\r\n\r\n");
        var head = await client.ReadResponseAsync(head: true);
        Assert.Equal("10", head.Header("Content-Length"));
        await client.SendAsync("HEAD /stream HTTP/1.1\r\nHost: b\r\n\r\n");
        var streamHead = await client.ReadResponseAsync(head: true);
        Assert.Equal(200, streamHead.Status);
        Assert.Null(streamHead.Header("Transfer-Encoding"));
        // Had any body bytes followed either head, this response would not parse.
        await client.SendAsync("GET /x HTTP/1.1\r\nHost: b\r\n\r\n");
        Assert.Equal("0123456789", (await client.ReadResponseAsync()).Text);
    }

    [Theory]
    [InlineData("GARBAGE\r\n\r\n", 400)]
    [InlineData("GET /x HTTP/1.1\r\nHost : b\r\n\r\n", 400)]
    [InlineData("GET /x HTTP/1.1\r\nHost: b\r\n folded\r\n\r\n", 400)]
    [InlineData("GET /x HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 400)]
    [InlineData("POST /x HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", 400)]
    [InlineData("POST /x HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", 501)]
    [InlineData("GET /x HTTP/2.0\r\n\r\n", 505)]
    [InlineData("GET /x%zz HTTP/1.1\r\n\r\n", 400)]
    [InlineData("GET x HTTP/1.1\r\n\r\n", 400)]
    public async Task Malformed_request_is_refused_and_the_connection_closed(string request, int status)
    {
        bool called = false;
        await using var server = await TestServer.StartAsync(context =>
        {
            called = true;
            return Task.CompletedTask;
        });
        await using var client = await server.ConnectAsync();
        await client.SendAsync(request);
        var response = await client.ReadResponseAsync();
        Assert.Equal(status, response.Status);
        Assert.Equal("close", response.Header("Connection"));
        Assert.True(await client.AtEndAsync());
        Assert.False(called);
    }

    [Fact]
    public async Task Head_over_one_MiB_is_431()
    {
        await using var server = await TestServer.StartAsync(context => Task.CompletedTask);
        await using var client = await server.ConnectAsync();
        string big = new('a', 8000);
        var request = new StringBuilder("GET / HTTP/1.1\r\n");
        for (int i = 0; i < 140; i++)
            request.Append($"X-Big-{i}: {big}\r\n");
        request.Append("\r\n");
        var send = client.SendAsync(request.ToString());
        var response = await client.ReadResponseAsync();
        Assert.Equal(431, response.Status);
        try
        {
            await send;
        }
        catch (IOException)
        {
            // The server stopped reading: the rest of the head may never be sent.
        }
    }

    [Fact]
    public async Task Bare_LF_line_ends_are_accepted()
    {
        await using var server = await TestServer.StartAsync(context => context.Response.WriteAsync(context.Request.Headers.Get("host") ?? "-"));
        await using var client = await server.ConnectAsync();
        await client.SendAsync("\r\nGET / HTTP/1.1\nHost: lf\n\n");
        Assert.Equal("lf", (await client.ReadResponseAsync()).Text);
    }

    [Fact]
    public async Task Handler_exception_before_the_response_is_500_with_the_message_only()
    {
        await using var server = await TestServer.StartAsync(context =>
            context.Request.Path == "/fail" ? throw new InvalidOperationException("no such thing \"x\"") : context.Response.WriteAsync("fine"));
        await using var client = await server.ConnectAsync();
        await client.SendAsync("GET /fail HTTP/1.1\r\nHost: b\r\n\r\n");
        var response = await client.ReadResponseAsync();
        Assert.Equal(500, response.Status);
        Assert.Equal("application/json", response.Header("Content-Type"));
        Assert.Equal("{\"message\":\"no such thing \\\"x\\\"\"}\n", response.Text);
        // The connection carries on.
        await client.SendAsync("GET /ok HTTP/1.1\r\nHost: b\r\n\r\n");
        Assert.Equal("fine", (await client.ReadResponseAsync()).Text);
        Assert.Contains(server.Log, line => line.Contains("no such thing"));
    }

    [Fact]
    public async Task Handler_exception_after_the_stream_started_cuts_the_connection()
    {
        await using var server = await TestServer.StartAsync(async context =>
        {
            var stream = await context.Response.StartStreamAsync("text/plain");
            await stream.WriteAsync("half"u8.ToArray());
            throw new InvalidOperationException("broken mid-stream");
        });
        await using var client = await server.ConnectAsync();
        await client.SendAsync("GET / HTTP/1.1\r\nHost: b\r\n\r\n");
        await client.ReadHeadAsync();
        Assert.Equal("half", Encoding.UTF8.GetString((await client.ReadChunkAsync())!));
        // No last chunk: the client can tell the response was cut short.
        Assert.True(await client.AtEndAsync());
    }

    [Fact]
    public async Task Unread_body_is_drained_and_the_connection_kept()
    {
        await using var server = await TestServer.StartAsync(context => context.Response.WriteAsync("ignored the body"));
        await using var client = await server.ConnectAsync();
        await client.SendAsync($"POST /a HTTP/1.1\r\nHost: b\r\nContent-Length: 5000\r\n\r\n{new string('x', 5000)}");
        Assert.Equal("ignored the body", (await client.ReadResponseAsync()).Text);
        await client.SendAsync("POST /b HTTP/1.1\r\nHost: b\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
        Assert.Equal("ignored the body", (await client.ReadResponseAsync()).Text);
        await client.SendAsync("GET /c HTTP/1.1\r\nHost: b\r\n\r\n");
        Assert.Equal("ignored the body", (await client.ReadResponseAsync()).Text);
    }

    [Fact]
    public async Task Large_unread_body_closes_the_connection_after_the_response_and_stop_completes()
    {
        await using var server = await TestServer.StartAsync(context => context.Response.WriteAsync("no thanks"));
        await using var client = await server.ConnectAsync();
        const int Length = 16 * 1024 * 1024;
        await client.SendAsync($"POST /images/load HTTP/1.1\r\nHost: b\r\nContent-Length: {Length}\r\n\r\n");
        var upload = Task.Run(async () =>
        {
            byte[] block = new byte[64 * 1024];
            try
            {
                for (int sent = 0; sent < Length; sent += block.Length)
                    await client.SendAsync(block);
            }
            catch (IOException)
            {
                // The server closed the connection on the rest of the body, as it should.
            }
        });
        Assert.Equal("no thanks", (await client.ReadResponseAsync()).Text);
        Assert.True(await client.AtEndAsync());
        // The connection has ended on the server too: stopping does not wait for it.
        server.Server.ShutdownTimeout = TimeSpan.FromSeconds(1);
        await server.Server.StopAsync().WaitAsync(Bound);
        client.Socket.Dispose();
        await upload.WaitAsync(Bound);
    }

    [Fact]
    public async Task Connection_close_is_honoured()
    {
        await using var server = await TestServer.StartAsync(context => context.Response.WriteAsync("bye"));
        await using var client = await server.ConnectAsync();
        await client.SendAsync("GET / HTTP/1.1\r\nHost: b\r\nConnection: close\r\n\r\n");
        var response = await client.ReadResponseAsync();
        Assert.Equal("bye", response.Text);
        Assert.Equal("close", response.Header("Connection"));
        Assert.True(await client.AtEndAsync());
    }

    [Fact]
    public async Task Handler_setting_connection_close_closes_after_the_response()
    {
        await using var server = await TestServer.StartAsync(context =>
        {
            context.Response.SetHeader("Connection", "close");
            return context.Response.WriteAsync("last");
        });
        await using var client = await server.ConnectAsync();
        await client.SendAsync("GET / HTTP/1.1\r\nHost: b\r\n\r\n");
        Assert.Equal("close", (await client.ReadResponseAsync()).Header("Connection"));
        Assert.True(await client.AtEndAsync());
    }

    [Fact]
    public async Task HTTP_1_0_closes_unless_kept_alive_and_streams_until_close()
    {
        await using var server = await TestServer.StartAsync(async context =>
        {
            if (context.Request.Path == "/stream")
            {
                await using var stream = await context.Response.StartStreamAsync("text/plain");
                await stream.WriteAsync("one "u8.ToArray());
                await stream.WriteAsync("two"u8.ToArray());
                return;
            }
            await context.Response.WriteAsync("plain");
        });
        await using (var client = await server.ConnectAsync())
        {
            await client.SendAsync("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            var first = await client.ReadResponseAsync();
            Assert.Equal("keep-alive", first.Header("Connection"));
            Assert.Equal("plain", first.Text);
            await client.SendAsync("GET / HTTP/1.0\r\n\r\n");
            Assert.Equal("close", (await client.ReadResponseAsync()).Header("Connection"));
            Assert.True(await client.AtEndAsync());
        }
        await using (var client = await server.ConnectAsync())
        {
            await client.SendAsync("GET /stream HTTP/1.0\r\n\r\n");
            var response = await client.ReadResponseAsync();
            Assert.Null(response.Header("Transfer-Encoding"));
            Assert.Equal("one two", response.Text);
        }
    }

    [Fact]
    public async Task Expect_100_continue_is_answered_when_the_handler_reads_the_body()
    {
        await using var server = await TestServer.StartAsync(async context =>
            await context.Response.WriteAsync($"got {await new StreamReader(context.Request.Body).ReadToEndAsync()}"));
        await using var client = await server.ConnectAsync();
        await client.SendAsync("POST / HTTP/1.1\r\nHost: b\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
        Assert.Equal("HTTP/1.1 100 Continue\r\n\r\n", await client.ReadHeadAsync());
        await client.SendAsync("body");
        Assert.Equal("got body", (await client.ReadResponseAsync()).Text);
    }

    [Fact]
    public async Task Status_without_body_and_empty_responses()
    {
        await using var server = await TestServer.StartAsync(context =>
        {
            context.Response.StatusCode = context.Request.Path == "/204" ? 204 : 201;
            return Task.CompletedTask;
        });
        await using var client = await server.ConnectAsync();
        await client.SendAsync("POST /204 HTTP/1.1\r\nHost: b\r\n\r\n");
        var noContent = await client.ReadResponseAsync();
        Assert.Equal("HTTP/1.1 204 No Content", noContent.StatusLine);
        Assert.Null(noContent.Header("Content-Length"));
        await client.SendAsync("POST /201 HTTP/1.1\r\nHost: b\r\n\r\n");
        var created = await client.ReadResponseAsync();
        Assert.Equal("HTTP/1.1 201 Created", created.StatusLine);
        Assert.Equal("0", created.Header("Content-Length"));
    }

    [Fact]
    public async Task Headers_set_before_the_response_go_out_with_every_kind()
    {
        var router = new Router();
        router.Map("GET", "/plain", context => context.Response.WriteAsync("p"));
        router.Map("GET", "/stream", async context => await (await context.Response.StartStreamAsync("text/plain")).DisposeAsyncReturning());
        router.Map("POST", "/hijack", async context => (await context.Response.HijackAsync()).Dispose());
        router.Map("GET", "/fail", _ => throw new InvalidOperationException("x"));
        await using var server = await TestServer.StartAsync(context =>
        {
            context.Response.SetHeader("Api-Version", "1.45");
            context.Response.SetHeader("Ostype", "linux");
            context.Response.SetHeader("Server", "Docker/berth (linux)");
            return router.DispatchAsync(context);
        });
        foreach (string request in new[] { "GET /plain", "GET /stream", "GET /missing", "GET /fail", "POST /hijack" })
        {
            await using var client = await server.ConnectAsync();
            await client.SendAsync($"{request} HTTP/1.1\r\nHost: b\r\n\r\n");
            string head = await client.ReadHeadAsync();
            Assert.Contains("\r\nApi-Version: 1.45\r\n", head);
            Assert.Contains("\r\nOstype: linux\r\n", head);
            Assert.Contains("\r\nServer: Docker/berth (linux)\r\n", head);
        }
    }

    [Fact]
    public async Task Stop_closes_idle_connections_and_aborts_streams_after_the_timeout()
    {
        var streaming = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var aborted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stopping = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        TestServer? test = null;
        await using var server = test = await TestServer.StartAsync(async context =>
        {
            if (context.Request.Path != "/events")
            {
                await context.Response.WriteAsync("ok");
                return;
            }
            test!.Server.Stopping.Register(() => stopping.TrySetResult());
            await context.Response.StartStreamAsync("application/json");
            streaming.SetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, context.Aborted);
            }
            catch (OperationCanceledException)
            {
                aborted.SetResult();
            }
        });
        await using var idle = await server.ConnectAsync();
        await idle.SendAsync("GET / HTTP/1.1\r\nHost: b\r\n\r\n");
        Assert.Equal("ok", (await idle.ReadResponseAsync()).Text);
        await using var events = await server.ConnectAsync();
        await events.SendAsync("GET /events HTTP/1.1\r\nHost: b\r\n\r\n");
        await events.ReadHeadAsync();
        await streaming.Task.WaitAsync(Bound);

        server.Server.ShutdownTimeout = TimeSpan.FromMilliseconds(200);
        await server.Server.StopAsync().WaitAsync(Bound);
        Assert.True(stopping.Task.IsCompleted);
        Assert.True(aborted.Task.IsCompleted);
        Assert.True(await idle.AtEndAsync());
        Assert.True(await events.AtEndAsync());
        Assert.False(File.Exists(server.SocketPath));
    }

    [Fact]
    public async Task Listen_unix_replaces_a_stale_socket_and_refuses_a_regular_file()
    {
        await using var first = await TestServer.StartAsync(context => context.Response.WriteAsync("first"));
        string path = Path.Combine(first.Directory, "sub", "stale.sock");
        using (var stale = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            stale.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(path));
        }
        first.Server.ListenUnix(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite, File.GetUnixFileMode(path));
        await using (var client = await RawConnection.ConnectUnixAsync(path))
        {
            await client.SendAsync("GET / HTTP/1.1\r\nHost: b\r\n\r\n");
            Assert.Equal("first", (await client.ReadResponseAsync()).Text);
        }

        string regular = Path.Combine(first.Directory, "regular");
        File.WriteAllText(regular, "keep me");
        Assert.Throws<IOException>(() => first.Server.ListenUnix(regular, UnixFileMode.UserRead));
        Assert.Equal("keep me", File.ReadAllText(regular));
    }

    [Fact]
    public async Task Json_responses_are_written_as_dockerd_writes_them()
    {
        await using var server = await TestServer.StartAsync(context =>
            context.Response.WriteJsonAsync(new TestDto { Name = "<a&b> é", Count = 2 }, TestJson.Default.TestDto));
        using var http = server.CreateClient();
        var response = await http.GetAsync("/json");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.ToString());
        Assert.Equal("{\"Name\":\"<a&b> é\",\"Count\":2}\n", await response.Content.ReadAsStringAsync());
    }

    /// <summary>The host's own first IPv4 address that is not loopback (traffic to it stays on this machine).</summary>
    static IPAddress HostAddress()
        => System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
            .Where(i => i.OperationalStatus == System.Net.NetworkInformation.OperationalStatus.Up
                && i.NetworkInterfaceType != System.Net.NetworkInformation.NetworkInterfaceType.Loopback)
            .SelectMany(i => i.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .First(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
}

sealed class UnseekableStream(byte[] data) : Stream
{
    readonly MemoryStream _inner = new(data);

    public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

static class StreamExtensions
{
    public static async Task DisposeAsyncReturning(this Stream stream) => await stream.DisposeAsync();
}

public sealed class TestDto
{
    public string? Name { get; set; }

    public int Count { get; set; }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(TestDto))]
internal sealed partial class TestJson : System.Text.Json.Serialization.JsonSerializerContext;
