using Berth.TestSupport;

namespace Berth.Compat;

/// <summary>docker system df and docker ps --size through berthd: what images and containers take on disk.</summary>
public sealed class DiskUsageTests(BerthdFixture fixture) : IClassFixture<BerthdFixture>
{
    readonly BerthDaemon _d = fixture.Daemon;

    [Fact]
    public void System_df_and_ps_size_count_the_image_its_container_and_what_the_container_wrote()
    {
        const string name = "df-writer";
        try
        {
            _d.Cli("run", "--name", name, BerthDaemon.Image, "dd", "if=/dev/zero", "of=/written", "bs=1024", "count=1024").EnsureSuccess("docker run dd");
            _d.Cli("commit", name, "df-child:latest").EnsureSuccess("docker commit");

            var summary = _d.Cli("system", "df", "--format", "{{.Type}}|{{.TotalCount}}|{{.Active}}").EnsureSuccess("docker system df");
            Assert.Equal("Images|2|1\nContainers|1|0\nLocal Volumes|0|0\nBuild Cache|0|0\n", summary.Stdout);

            var size = _d.Cli("ps", "-a", "--size", "--filter", "name=" + name, "--format", "{{.Size}}").EnsureSuccess("docker ps -s").Stdout.Trim();
            Assert.Matches(@"^1\.0\dMB \(virtual \d+(\.\d+)?MB\)$", size);

            var verbose = _d.Cli("system", "df", "-v").EnsureSuccess("docker system df -v").Stdout;
            // REPOSITORY TAG IMAGE-ID CREATED SIZE SHARED-SIZE UNIQUE-SIZE CONTAINERS: the child shares all of the base.
            var baseLine = Columns(verbose, "berth-test-busybox");
            var childLine = Columns(verbose, "df-child");
            Assert.Equal("1", baseLine[^1]);
            Assert.Equal("0", childLine[^1]);
            Assert.NotEqual("0B", baseLine[^3]);
            Assert.Equal("0B", baseLine[^2]);
            Assert.Equal(baseLine[^3], childLine[^3]);
            Assert.Matches(@"^1\.0\d+MB$", childLine[^2]);
            Assert.Contains(name, verbose);
        }
        finally
        {
            _d.Cli("rm", "-f", name);
            _d.Cli("rmi", "df-child:latest");
        }
    }

    static string[] Columns(string table, string repository)
        => table.Split('\n').Single(l => l.StartsWith(repository + " ", StringComparison.Ordinal))
            .Split("  ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [Fact]
    public async Task An_unknown_object_type_is_refused_as_docker_does()
    {
        using var api = _d.Api();
        var response = await api.GetAsync("/v1.50/system/df?type=container&type=bogus");
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("{\"message\":\"unknown object type: bogus\"}\n", await response.Content.ReadAsStringAsync());
        var images = await api.GetStringAsync("/v1.50/system/df?type=image");
        Assert.Contains("\"LayersSize\":", images);
        Assert.DoesNotContain("\"Containers\":[", images);
    }
}
