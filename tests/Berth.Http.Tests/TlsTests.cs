using Berth.TestSupport;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Berth.Http;

namespace Berth.Http.Tests;

public class TlsTests
{
    static async Task<RawConnection> ConnectAsync(TestServer server, X509Certificate2 authority, X509Certificate2? clientCertificate, SslProtocols protocols)
    {
        var tcp = await RawConnection.ConnectTcpAsync(server.TcpEndPoint!);
        var ssl = new SslStream(tcp.Stream, leaveInnerStreamOpen: false);
        try
        {
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                EnabledSslProtocols = protocols,
                ClientCertificates = clientCertificate is null ? null : [clientCertificate],
                CertificateChainPolicy = TrustOnly(authority),
                RemoteCertificateValidationCallback = (_, _, _, errors) => errors == SslPolicyErrors.None,
            });
        }
        catch
        {
            await ssl.DisposeAsync();
            await tcp.DisposeAsync();
            throw;
        }
        return RawConnection.Over(tcp.Socket, ssl);
    }

    static X509ChainPolicy TrustOnly(X509Certificate2 authority)
    {
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.Add(authority);
        return policy;
    }

    static async Task<TestServer> StartTlsServerAsync(ServerTls tls)
    {
        var server = await TestServer.StartAsync(context => context.Response.WriteAsync($"hello over {context.Request.Path}"));
        server.ListenTcp(tls);
        return server;
    }

    [Theory]
    [InlineData(SslProtocols.Tls12)]
    [InlineData(SslProtocols.Tls13)]
    public async Task Mutual_tls_accepts_a_client_signed_by_the_authority(SslProtocols protocol)
    {
        using var authority = TestCertificates.CreateAuthority("berth-test-ca");
        using var serverCertificate = TestCertificates.CreateServer(authority);
        using var clientCertificate = TestCertificates.CreateClient(authority);
        await using var server = await StartTlsServerAsync(new ServerTls(serverCertificate, [authority]));

        await using var client = await ConnectAsync(server, authority, clientCertificate, protocol);
        for (int i = 0; i < 2; i++)
        {
            await client.SendAsync($"GET /_ping{i} HTTP/1.1\r\nHost: localhost\r\n\r\n");
            Assert.Equal($"hello over /_ping{i}", (await client.ReadResponseAsync()).Text);
        }
    }

    [Theory]
    [InlineData(SslProtocols.Tls12, false)]
    [InlineData(SslProtocols.Tls13, false)]
    [InlineData(SslProtocols.Tls12, true)]
    [InlineData(SslProtocols.Tls13, true)]
    public async Task Mutual_tls_refuses_a_client_without_a_certificate_or_with_a_foreign_one(SslProtocols protocol, bool foreign)
    {
        using var authority = TestCertificates.CreateAuthority("berth-test-ca");
        using var otherAuthority = TestCertificates.CreateAuthority("berth-test-other-ca");
        using var serverCertificate = TestCertificates.CreateServer(authority);
        using var foreignCertificate = TestCertificates.CreateClient(otherAuthority);
        bool served = false;
        await using var server = await TestServer.StartAsync(context =>
        {
            served = true;
            return context.Response.WriteAsync("should not be served");
        });
        server.ListenTcp(new ServerTls(serverCertificate, [authority]));

        // TLS 1.3 finishes the client's side of the handshake before the server has judged its certificate: the
        // refusal then arrives as an alert on the first read instead of as a handshake failure.
        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var client = await ConnectAsync(server, authority, foreign ? foreignCertificate : null, protocol);
            await client.SendAsync("GET /_ping HTTP/1.1\r\nHost: localhost\r\n\r\n");
            await client.ReadResponseAsync();
        });
        Assert.False(served);
        Assert.Contains(server.Log, line => line.Contains("TLS handshake"));
    }

    [Theory]
    [InlineData(SslProtocols.Tls12)]
    [InlineData(SslProtocols.Tls13)]
    public async Task Hijacked_tls_connection_half_closes_with_close_notify(SslProtocols protocol)
    {
        using var authority = TestCertificates.CreateAuthority("berth-test-ca");
        using var serverCertificate = TestCertificates.CreateServer(authority);
        using var clientCertificate = TestCertificates.CreateClient(authority);
        var afterHalfClose = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await TestServer.StartAsync(async context =>
        {
            await using var stream = await context.Response.HijackAsync();
            await stream.WriteAsync("output"u8.ToArray());
            await stream.CloseWriteAsync();
            afterHalfClose.SetResult(await new StreamReader(stream).ReadToEndAsync());
        });
        server.ListenTcp(new ServerTls(serverCertificate, [authority]));

        await using var client = await ConnectAsync(server, authority, clientCertificate, protocol);
        await client.SendAsync("POST /exec/e1/start HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 101 UPGRADED\r\n", await client.ReadHeadAsync());
        Assert.Equal("output", System.Text.Encoding.UTF8.GetString(await client.ReadToEndAsync()));
        await client.SendAsync("input after the server's close_notify");
        client.ShutdownSend();
        Assert.Equal("input after the server's close_notify", await afterHalfClose.Task.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Server_only_tls_serves_clients_without_certificates()
    {
        using var authority = TestCertificates.CreateAuthority("berth-test-ca");
        using var serverCertificate = TestCertificates.CreateServer(authority);
        await using var server = await StartTlsServerAsync(new ServerTls(serverCertificate));
        await using var client = await ConnectAsync(server, authority, null, SslProtocols.Tls13);
        await client.SendAsync("GET /x HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        Assert.Equal("hello over /x", (await client.ReadResponseAsync()).Text);
        Assert.True(await client.AtEndAsync());
    }

    [Fact]
    public async Task Plain_tcp_serves_http()
    {
        await using var server = await TestServer.StartAsync(context => context.Response.WriteAsync("plain tcp"));
        server.ListenTcp(null);
        await using var client = await RawConnection.ConnectTcpAsync(server.TcpEndPoint!);
        await client.SendAsync("GET / HTTP/1.1\r\nHost: b\r\n\r\n");
        Assert.Equal("plain tcp", (await client.ReadResponseAsync()).Text);
    }
    [Fact]
    public async Task A_tls_handshake_on_a_plain_port_is_answered_at_once_with_an_http_error()
    {
        await using var server = await TestServer.StartAsync(context => context.Response.WriteAsync("never"));
        server.ListenTcp(tls: null);
        await using var client = await RawConnection.ConnectTcpAsync(server.TcpEndPoint!);
        // The start of a ClientHello: a handshake record without a line feed in it, so a line-based reader would wait.
        await client.SendAsync([0x16, 0x03, 0x01, 0x00, 0xf4, 0x01, 0x00, 0x00, 0xf0, 0x03, 0x03]);
        string head = await client.ReadHeadAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.StartsWith("HTTP/1.1 400 Bad Request", head);
        Assert.Contains("TLS handshake", System.Text.Encoding.UTF8.GetString(await client.ReadToEndAsync()));
    }
}
