using Berth.Cli.Output;
using Berth.Engine.Model;

namespace Berth.Cli.Tests.Output;

/// <summary>docker stats' arithmetic (stats_helpers.go) and columns (formatter_stats.go), from the docker CLI's own cases.</summary>
public class StatsRowsTests
{
    static ContainerStats Sample(ulong usage, Dictionary<string, ulong> memoryStat) => new()
    {
        Name = "/web",
        Id = "0123456789abcdef0123456789abcdef",
        PreCpuStats = new CpuStats { CpuUsage = new CpuUsage { TotalUsage = 100 }, SystemUsage = 1000 },
        CpuStats = new CpuStats { CpuUsage = new CpuUsage { TotalUsage = 300 }, SystemUsage = 2000, OnlineCpus = 2 },
        MemoryStats = new MemoryStats { Usage = usage, Limit = 2000, Stats = memoryStat },
        PidsStats = new PidsStats { Current = 3 },
        BlkioStats = new BlkioStats
        {
            IoServiceBytesRecursive =
            [
                new() { Op = "Read", Value = 1000 }, new() { Op = "read", Value = 500 }, new() { Op = "Write", Value = 2000 },
                new() { Op = "Total", Value = 3500 }, new() { Op = "", Value = 9 },
            ],
        },
        Networks = new() { ["eth0"] = new NetworkStats { RxBytes = 1500, TxBytes = 2500 }, ["eth1"] = new NetworkStats { RxBytes = 500 } },
    };

    [Theory]
    [InlineData("total_inactive_file", 400ul, 100.0)]
    [InlineData("inactive_file", 400ul, 100.0)]
    [InlineData("total_inactive_file", 600ul, 500.0)]
    [InlineData("cache", 400ul, 500.0)]
    public void Memory_leaves_the_inactive_page_cache_out(string key, ulong value, double expected)
        => Assert.Equal(expected, StatsEntry.From("web", Sample(500, new() { [key] = value })).Memory);

    [Fact]
    public void Cpu_block_io_and_network_add_up_as_docker_s()
    {
        var e = StatsEntry.From("web", Sample(500, []));
        Assert.Equal(40.0, e.CpuPercentage);
        Assert.Equal(25.0, e.MemoryPercentage);
        Assert.Equal((1500.0, 2000.0), (e.BlockRead, e.BlockWrite));
        Assert.Equal((2000.0, 2500.0), (e.NetworkRx, e.NetworkTx));
    }

    [Fact]
    public void A_row_shows_docker_s_columns()
    {
        var row = StatsRows.Row(StatsEntry.From("web", Sample(500, [])), trunc: true).Fields;
        Assert.Equal("web", (string?)row["Name"]);
        Assert.Equal("0123456789ab", (string?)row["ID"]);
        Assert.Equal("40.00%", (string?)row["CPUPerc"]);
        Assert.Equal("500B / 1.953KiB", (string?)row["MemUsage"]);
        Assert.Equal("25.00%", (string?)row["MemPerc"]);
        Assert.Equal("2kB / 2.5kB", (string?)row["NetIO"]);
        Assert.Equal("1.5kB / 2kB", (string?)row["BlockIO"]);
        Assert.Equal("3", (string?)row["PIDs"]);
    }

    [Fact]
    public void A_container_without_a_sample_shows_dashes()
    {
        var row = StatsRows.Row(new StatsEntry("web") { IsInvalid = true }, trunc: true).Fields;
        Assert.Equal(["web", "--", "", "--", "-- / --", "--", "--", "--", "--"],
            new[] { "Container", "Name", "ID", "CPUPerc", "MemUsage", "MemPerc", "NetIO", "BlockIO", "PIDs" }.Select(k => (string?)row[k]));
    }

    [Fact]
    public void The_default_table_and_json_are_docker_s()
    {
        var rows = new[] { StatsRows.Row(StatsEntry.From("web", Sample(500, [])), trunc: true) };
        var table = new StringWriter();
        ListOutput.Write(table, ListOutput.Choose("table", false, StatsRows.DefaultTable), rows, StatsRows.Headers);
        Assert.Equal(
            "CONTAINER ID   NAME      CPU %     MEM USAGE / LIMIT   MEM %     NET I/O       BLOCK I/O     PIDS\n"
            + "0123456789ab   web       40.00%    500B / 1.953KiB     25.00%    2kB / 2.5kB   1.5kB / 2kB   3\n",
            table.ToString());
        var json = new StringWriter();
        ListOutput.Write(json, "json", rows, StatsRows.Headers);
        Assert.Equal("""{"BlockIO":"1.5kB / 2kB","CPUPerc":"40.00%","Container":"web","ID":"0123456789ab","MemPerc":"25.00%","MemUsage":"500B / 1.953KiB","Name":"web","NetIO":"2kB / 2.5kB","PIDs":"3"}""" + "\n", json.ToString());
    }
}
