using Berth.TestSupport;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Configurations;

namespace Berth.Compat;

/// <summary>
/// Testcontainers for .NET against berthd with no API version setting: a container whose wait strategy
/// polls a port inside it, exec, logs, and disposal. Its resource reaper (Ryuk) is off: Ryuk is an image
/// from Docker Hub, which cannot be pulled offline. Its port binding (a random host port) is read back from inspect
/// and answers from the host through berthd's NAT.
/// </summary>
public sealed class TestcontainersTests(BerthdFixture fixture) : IClassFixture<BerthdFixture>
{
    static readonly TimeSpan Bound = TimeSpan.FromMinutes(2);
    readonly BerthDaemon _d = fixture.Daemon;

    [Fact]
    public async Task A_container_waits_for_its_internal_port_then_serves_execs_and_logs()
    {
        TestcontainersSettings.ResourceReaperEnabled = false;
        var container = new ContainerBuilder(BerthDaemon.Image)
            .WithDockerEndpoint("unix://" + _d.Socket)
            .WithName("testcontainers-httpd")
            .WithEntrypoint("sh", "-c", "echo served by berth > /tmp/index.html; echo starting httpd; exec httpd -f -p 8080 -h /tmp")
            .WithPortBinding(8080, assignRandomHostPort: true)
            .WithWaitStrategy(DotNet.Testcontainers.Builders.Wait.ForUnixContainer().UntilInternalTcpPortIsAvailable(8080))
            .Build();
        try
        {
            await container.StartAsync().WaitAsync(Bound);
            Assert.Equal(DotNet.Testcontainers.Containers.TestcontainersStates.Running, container.State);

            var fetched = await container.ExecAsync(["wget", "-qO-", "http://127.0.0.1:8080/index.html"]).WaitAsync(Bound);
            Assert.Equal(0, fetched.ExitCode);
            Assert.Equal("served by berth\n", fetched.Stdout);

            ushort published = container.GetMappedPublicPort(8080);
            Assert.NotEqual(0, published);
            using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) })
                Assert.Equal("served by berth\n", await http.GetStringAsync($"http://127.0.0.1:{published}/index.html"));

            var (stdout, _) = await container.GetLogsAsync().WaitAsync(Bound);
            Assert.Contains("starting httpd\n", stdout);
            Assert.Equal("true", _d.Inspect("testcontainers-httpd", "{{.State.Running}}"));
        }
        finally
        {
            await container.DisposeAsync().AsTask().WaitAsync(Bound);
        }
        Assert.DoesNotContain("testcontainers-httpd", _d.Cli("ps", "-a", "--format", "{{.Names}}").Stdout);
    }
}
