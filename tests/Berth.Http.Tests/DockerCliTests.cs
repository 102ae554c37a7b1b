using System.Buffers.Binary;
using System.Text;
using Berth.Http;
using Berth.TestSupport;

namespace Berth.Http.Tests;

/// <summary>
/// The real docker CLI against the server with a few hand-written endpoints: version negotiation over the unix socket
/// and over mutual TLS, and <c>docker exec -i</c>, whose start request carries a JSON body and upgrades the connection,
/// whose output is multiplexed and whose stdin ends with a half-close.
/// </summary>
public class DockerCliTests
{
    const string Version = "berth-test-28.0";

    static Router Endpoints()
    {
        var router = new Router();
        RequestHandler ping = context =>
        {
            context.Response.SetHeader("Cache-Control", "no-cache, no-store, must-revalidate");
            context.Response.SetHeader("Pragma", "no-cache");
            return context.Response.WriteAsync("OK");
        };
        router.Map("GET", "/_ping", ping);
        router.Map("HEAD", "/_ping", ping);
        router.Map("GET", "/version", context => Json(context,
            $"{{\"Version\":\"{Version}\",\"ApiVersion\":\"1.45\",\"MinAPIVersion\":\"1.24\",\"Os\":\"linux\",\"Arch\":\"amd64\"," +
            "\"KernelVersion\":\"6.1\",\"GitCommit\":\"0000000\",\"GoVersion\":\"go1.22\",\"BuildTime\":\"2024-01-01T00:00:00.000000000+00:00\"}"));
        router.Map("GET", "/containers/{id}/json", context => Json(context,
            $"{{\"Id\":\"{context.RouteValue("id")}\",\"Name\":\"/{context.RouteValue("id")}\",\"State\":{{\"Status\":\"running\",\"Running\":true}},\"Config\":{{\"Tty\":false}}}}"));
        router.Map("POST", "/containers/{id}/exec", async context =>
        {
            string body = await new StreamReader(context.Request.Body).ReadToEndAsync();
            Assert.Contains("\"AttachStdin\":true", body);
            context.Response.StatusCode = 201;
            await Json(context, "{\"Id\":\"exec-1\"}");
        });
        router.Map("POST", "/exec/{id}/start", async context =>
        {
            string body = await new StreamReader(context.Request.Body).ReadToEndAsync();
            Assert.Contains("\"Detach\":false", body);
            await using var stream = await context.Response.HijackAsync("application/vnd.docker.multiplexed-stream");
            // cat, shouting: stdin back as stdout frames, upper-cased, until the client half-closes.
            var buffer = new byte[4096];
            int n;
            while ((n = await stream.ReadAsync(buffer.AsMemory(8))) > 0)
            {
                buffer[0] = 1;
                BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(4), (uint)n);
                Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(buffer, 8, n).ToUpperInvariant(), buffer.AsSpan(8));
                await stream.WriteAsync(buffer.AsMemory(0, 8 + n));
            }
            byte[] stderr = [2, 0, 0, 0, 0, 0, 0, 5, .. "done\n"u8];
            await stream.WriteAsync(stderr);
        });
        router.Map("GET", "/exec/{id}/json", context => Json(context,
            "{\"ID\":\"exec-1\",\"Running\":false,\"ExitCode\":3,\"ContainerID\":\"c1\",\"OpenStdin\":true}"));
        return router;
    }

    static Task Json(HttpContext context, string json) => context.Response.WriteAsync(Encoding.UTF8.GetBytes(json + "\n"), "application/json");

    static RequestHandler WithDaemonHeaders(Router router) => context =>
    {
        context.Response.SetHeader("Api-Version", "1.45");
        context.Response.SetHeader("Docker-Experimental", "false");
        context.Response.SetHeader("Ostype", "linux");
        context.Response.SetHeader("Server", $"Docker/{Version} (linux)");
        return router.DispatchAsync(context);
    };

    static CommandResult Docker(TestServer server, string host, string? stdin, params string[] args)
    {
        string docker = HostTools.Require("docker", "docker-ce-cli");
        string config = Path.Combine(server.Directory, "docker-config");
        Directory.CreateDirectory(config);
        return ProcessRunner.Run(docker, args, stdin, TimeSpan.FromSeconds(60), environment: new Dictionary<string, string>
        {
            ["DOCKER_HOST"] = host,
            ["DOCKER_CONFIG"] = config,
            ["DOCKER_CONTEXT"] = "",
            ["DOCKER_TLS_VERIFY"] = "",
            ["DOCKER_CERT_PATH"] = "",
            ["DOCKER_API_VERSION"] = "",
        });
    }

    [Fact]
    public async Task Docker_version_over_the_unix_socket()
    {
        await using var server = await TestServer.StartAsync(WithDaemonHeaders(Endpoints()));
        var result = Docker(server, $"unix://{server.SocketPath}", null, "version", "--format", "{{.Server.Version}} {{.Client.APIVersion}}")
            .EnsureSuccess("docker version");
        Assert.Equal($"{Version} 1.45", result.Stdout.Trim());
    }

    [Fact]
    public async Task Docker_version_over_mutual_tls()
    {
        using var authority = TestCertificates.CreateAuthority("berth-test-ca");
        using var serverCertificate = TestCertificates.CreateServer(authority);
        using var clientCertificate = TestCertificates.CreateClient(authority);
        await using var server = await TestServer.StartAsync(WithDaemonHeaders(Endpoints()));
        var endpoint = server.ListenTcp(new ServerTls(serverCertificate, [authority]));
        string ca = Path.Combine(server.Directory, "ca.pem"), cert = Path.Combine(server.Directory, "cert.pem"), key = Path.Combine(server.Directory, "key.pem");
        TestCertificates.WritePem(authority, ca);
        TestCertificates.WritePem(clientCertificate, cert, key);
        string host = $"tcp://127.0.0.1:{endpoint.Port}";

        var result = Docker(server, host, null, "--tlsverify", "--tlscacert", ca, "--tlscert", cert, "--tlskey", key,
            "version", "--format", "{{.Server.Version}}").EnsureSuccess("docker version over TLS");
        Assert.Equal(Version, result.Stdout.Trim());

        var refused = Docker(server, host, null, "--tlsverify", "--tlscacert", ca, "version", "--format", "{{.Server.Version}}");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.DoesNotContain(Version, refused.Stdout);
        Assert.Contains(server.Log, line => line.Contains("TLS handshake"));
    }

    [Fact]
    public async Task Docker_exec_with_stdin_runs_over_a_hijacked_connection()
    {
        await using var server = await TestServer.StartAsync(WithDaemonHeaders(Endpoints()));
        var result = Docker(server, $"unix://{server.SocketPath}", "hello from stdin\nsecond line\n", "exec", "-i", "c1", "cat");
        Assert.Equal(3, result.ExitCode);
        Assert.Equal("HELLO FROM STDIN\nSECOND LINE\n", result.Stdout);
        Assert.Equal("done\n", result.Stderr);
    }
}
