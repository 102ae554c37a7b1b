using Berth.TestSupport;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Berth.Compat;

/// <summary>
/// 100 containers created, started, stopped and removed in parallel by several API clients (each its own
/// connection pool, as separate programs would be): every call succeeds and nothing is left behind.
/// </summary>
public sealed class ParallelLifecycleTests
{
    const int Clients = 4;
    const int ContainersPerClient = 25;
    static readonly TimeSpan Bound = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task A_hundred_containers_from_several_clients_live_and_go_without_error_or_leftovers()
    {
        using var d = new BerthDaemon();
        var ids = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(c => Task.Run(async () =>
        {
            using var client = new DockerClientBuilder().WithEndpoint(new Uri("unix://" + d.Socket)).Build();
            // Each client keeps several containers in flight at once.
            await Task.WhenAll(Enumerable.Range(0, ContainersPerClient).Select(async i =>
            {
                var created = await client.Containers.CreateContainerAsync(new CreateContainerParameters
                {
                    Name = $"parallel-{c}-{i}",
                    Image = BerthDaemon.Image,
                    Cmd = ["sh", "-c", "trap 'exit 0' TERM; echo ready; while true; do sleep 0.1; done"],
                }).WaitAsync(Bound);
                ids.Add(created.ID);
                await client.Containers.StartContainerAsync(created.ID, new ContainerStartParameters()).WaitAsync(Bound);
                Assert.True((await client.Containers.InspectContainerAsync(created.ID).WaitAsync(Bound)).State?.Running);
                // Stop once the shell has its TERM trap: a SIGTERM before that is ignored by a PID 1 without a handler.
                await Wait.UntilAsync(async () => (await Logs(client, created.ID)).Contains("ready"), "the container's trap is set", Bound);
                await client.Containers.StopContainerAsync(created.ID, new ContainerStopParameters { WaitBeforeKillSeconds = 30 }).WaitAsync(Bound);
                var stopped = await client.Containers.InspectContainerAsync(created.ID).WaitAsync(Bound);
                Assert.Equal(("exited", 0L), (stopped.State?.Status, stopped.State?.ExitCode ?? -1));
                await client.Containers.RemoveContainerAsync(created.ID, new ContainerRemoveParameters()).WaitAsync(Bound);
            }));
        })));

        Assert.Equal(Clients * ContainersPerClient, ids.Count);
        Assert.Equal("", d.Cli("ps", "-aq").EnsureSuccess("docker ps -aq").Stdout);
        EngineLeftovers.AssertNoneOf(d, [.. ids]);
    }

    static async Task<string> Logs(DockerClient client, string id)
    {
        using var logs = await client.Containers.GetContainerLogsAsync(id, new ContainerLogsParameters { ShowStdout = true }).WaitAsync(Bound);
        return (await logs.ReadOutputToEndAsync(CancellationToken.None).WaitAsync(Bound)).stdout;
    }
}
