using System.Globalization;
using Berth.TestSupport;

namespace Berth.Runtime.Tests.Docker;

/// <summary>exec, pause/unpause (<see cref="EngineExecTests"/>) and stats of a running container under berth-runtime.</summary>
[Collection(DockerCollection.Name)]
public sealed class DockerExecTests(BerthDockerDaemon docker) : EngineExecTests(docker)
{
    [Fact]
    public void Stats_report_memory_and_pids()
    {
        string name = TestIds.New("docker-stats");
        try
        {
            docker.StartDetached(name, [], "sh", "-c", "sleep 1000 & sleep 1000");
            var stats = docker.Cli("stats", "--no-stream", "--format", "{{.MemUsage}}|{{.PIDs}}", name).EnsureSuccess("docker stats").Stdout.Trim();
            var parts = stats.Split('|');
            // "336KiB / 23.5GiB": the usage is the number before the unit.
            string usage = new(parts[0].TakeWhile(c => char.IsDigit(c) || c == '.').ToArray());
            Assert.True(double.Parse(usage, CultureInfo.InvariantCulture) > 0, $"memory usage is zero: {stats}");
            Assert.True(int.Parse(parts[1], CultureInfo.InvariantCulture) >= 2, $"expected at least 2 pids: {stats}");
        }
        finally
        {
            docker.Remove(name);
        }
    }
}
