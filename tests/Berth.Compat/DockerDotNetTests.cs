using System.Formats.Tar;
using System.Text;
using Berth.TestSupport;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Berth.Compat;

/// <summary>
/// Docker.DotNet (the Docker.DotNet.Enhanced package, the maintained fork Testcontainers is built on) against
/// berthd, without any API version setting: create, start, exec, logs, archive up and down, wait, remove.
/// </summary>
public sealed class DockerDotNetTests(BerthdFixture fixture) : IClassFixture<BerthdFixture>
{
    static readonly TimeSpan Bound = TimeSpan.FromMinutes(2);
    readonly BerthDaemon _d = fixture.Daemon;

    [Fact]
    public async Task A_container_lives_its_whole_life_through_docker_dotnet()
    {
        using var client = new DockerClientBuilder().WithEndpoint(new Uri("unix://" + _d.Socket)).Build();
        var created = await client.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Name = "dotnet-life",
            Image = BerthDaemon.Image,
            Cmd = ["sh", "-c", "echo hello from $WHO; echo to stderr >&2; while [ ! -e /tmp/done ]; do sleep 0.1; done; exit 7"],
            Env = ["WHO=docker-dotnet"],
            Labels = new Dictionary<string, string> { ["client"] = "docker.dotnet" },
        }).WaitAsync(Bound);
        try
        {
            Assert.Matches("^[0-9a-f]{64}$", created.ID);
            await client.Containers.StartContainerAsync(created.ID, new ContainerStartParameters()).WaitAsync(Bound);
            var inspect = await client.Containers.InspectContainerAsync(created.ID).WaitAsync(Bound);
            Assert.True(inspect.State?.Running);
            Assert.Equal("/dotnet-life", inspect.Name);
            Assert.Equal("docker.dotnet", inspect.Config?.Labels["client"]);

            // exec: output and exit code.
            var exec = await client.Exec.CreateContainerExecAsync(created.ID, new ContainerExecCreateParameters
            {
                Cmd = ["sh", "-c", "echo exec out; echo exec err >&2; exit 3"],
                AttachStdout = true,
                AttachStderr = true,
            }).WaitAsync(Bound);
            using (var stream = await client.Exec.StartContainerExecAsync(exec.ID, new ContainerExecStartParameters()).WaitAsync(Bound))
            {
                var (stdout, stderr) = await stream.ReadOutputToEndAsync(CancellationToken.None).WaitAsync(Bound);
                Assert.Equal("exec out\n", stdout);
                Assert.Equal("exec err\n", stderr);
            }
            Assert.Equal(3, (await client.Exec.InspectContainerExecAsync(exec.ID).WaitAsync(Bound)).ExitCode);

            // logs, multiplexed.
            string logs = await ReadLogs(client, created.ID);
            Assert.Equal("hello from docker-dotnet\n|to stderr\n", logs);

            // archive up: a tar with one file into /tmp; down: the same file back, with its stat.
            var tar = new MemoryStream();
            using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
            {
                var entry = new PaxTarEntry(TarEntryType.RegularFile, "uploaded.txt") { DataStream = new MemoryStream("carried by the API\n"u8.ToArray()) };
                await writer.WriteEntryAsync(entry);
            }
            tar.Position = 0;
            await client.Containers.ExtractArchiveToContainerAsync(created.ID, new CopyToContainerParameters { Path = "/tmp" }, tar).WaitAsync(Bound);
            var archive = await client.Containers.GetArchiveFromContainerAsync(created.ID, new ContainerPathStatParameters { Path = "/tmp/uploaded.txt" }, statOnly: false).WaitAsync(Bound);
            Assert.Equal("uploaded.txt", archive.Stat.Name);
            Assert.Equal(19, archive.Stat.Size);
            Assert.NotNull(archive.Stream);
            using (var reader = new TarReader(archive.Stream))
            {
                var entry = await reader.GetNextEntryAsync().AsTask().WaitAsync(Bound);
                Assert.NotNull(entry);
                Assert.Equal("uploaded.txt", entry.Name);
                Assert.Equal("carried by the API\n", await new StreamReader(entry.DataStream!).ReadToEndAsync());
            }

            // wait: the container's exit code, once it is told to finish.
            var waiting = client.Containers.WaitContainerAsync(created.ID);
            await RunExec(client, created.ID, "touch", "/tmp/done");
            Assert.Equal(7, (await waiting.WaitAsync(Bound)).StatusCode);
        }
        finally
        {
            await client.Containers.RemoveContainerAsync(created.ID, new ContainerRemoveParameters { Force = true }).WaitAsync(Bound);
        }
        var missing = await Assert.ThrowsAsync<DockerContainerNotFoundException>(() => client.Containers.InspectContainerAsync(created.ID).WaitAsync(Bound));
        Assert.Contains("No such container: " + created.ID, missing.Message);
    }

    static async Task<string> ReadLogs(DockerClient client, string id)
    {
        using var logs = await client.Containers.GetContainerLogsAsync(id, new ContainerLogsParameters { ShowStdout = true, ShowStderr = true }).WaitAsync(Bound);
        var (stdout, stderr) = await logs.ReadOutputToEndAsync(CancellationToken.None).WaitAsync(Bound);
        return stdout + "|" + stderr;
    }

    static async Task RunExec(DockerClient client, string id, params string[] cmd)
    {
        var exec = await client.Exec.CreateContainerExecAsync(id, new ContainerExecCreateParameters { Cmd = cmd, AttachStdout = true, AttachStderr = true }).WaitAsync(Bound);
        using var stream = await client.Exec.StartContainerExecAsync(exec.ID, new ContainerExecStartParameters()).WaitAsync(Bound);
        await stream.ReadOutputToEndAsync(CancellationToken.None).WaitAsync(Bound);
    }
}
