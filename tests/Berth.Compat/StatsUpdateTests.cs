using System.Globalization;
using System.Text.Json;
using Berth.TestSupport;

namespace Berth.Compat;

/// <summary>
/// docker stats and docker update (CLI v28) against berthd: usage read from the container's cgroup in Docker's JSON,
/// and new limits written to the container's real cgroup files, kept in its host config and used at its next start.
/// </summary>
public sealed class StatsUpdateTests(BerthdFixture fixture) : IClassFixture<BerthdFixture>
{
    const string Image = BerthDaemon.Image;
    const long MiB = 1024 * 1024;

    readonly BerthDaemon _d = fixture.Daemon;

    [Fact]
    public void Stats_no_stream_shows_a_running_container_s_memory_pids_and_limit()
    {
        const string name = "compat-stats-running";
        try
        {
            _d.Cli("run", "-d", "--name", name, "--memory", "64m", Image, "sleep", "1000").EnsureSuccess("docker run -d --memory 64m");
            var stats = _d.Cli("stats", "--no-stream", "--format", "{{.Name}}|{{.ID}}|{{.MemUsage}}|{{.PIDs}}|{{.CPUPerc}}|{{.NetIO}}", name).EnsureSuccess("docker stats --no-stream");
            var fields = stats.Stdout.TrimEnd('\n').Split('|');
            Assert.Equal(name, fields[0]);
            Assert.Equal(_d.Inspect(name, "{{.Id}}")[..12], fields[1]);
            var memory = fields[2].Split(" / ");
            Assert.NotEqual("0B", memory[0]);
            Assert.Equal("64MiB", memory[1]);
            Assert.True(int.Parse(fields[3], CultureInfo.InvariantCulture) >= 1, $"pids: {fields[3]}");
            Assert.EndsWith("%", fields[4]);
            // On the default bridge: its eth0's counters (an IPv6 router solicitation at least may have gone out).
            Assert.Matches(@"^\d+(\.\d+)?[kMG]?B / \d+(\.\d+)?[kMG]?B$", fields[5]);

            var table = _d.Cli("stats", "--no-stream", name).EnsureSuccess("docker stats --no-stream (table)").Stdout.Split('\n');
            Assert.Matches(@"^CONTAINER ID +NAME +CPU % +MEM USAGE / LIMIT +MEM % +NET I/O +BLOCK I/O +PIDS$", table[0]);
            Assert.Matches($@"^[0-9a-f]{{12}} +{name} +\d+\.\d\d% +\S+ / 64MiB +\d+\.\d\d% +\S+ / \S+ +\S+ / \S+ +\d+$", table[1]);
        }
        finally
        {
            _d.Cli("rm", "-f", name);
        }
    }

    [Fact]
    public void Stats_all_shows_a_stopped_container_zeroed_and_unknown_names_are_docker_s_error()
    {
        const string name = "compat-stats-stopped";
        try
        {
            _d.Cli("create", "--name", name, Image, "true").EnsureSuccess("docker create");
            var all = _d.Cli("stats", "--no-stream", "-a", "--format", "{{.Name}} {{.MemUsage}} {{.PIDs}} {{.CPUPerc}}").EnsureSuccess("docker stats -a");
            Assert.Contains($"{name} 0B / 0B 0 0.00%\n", all.Stdout);
            Assert.DoesNotContain(name, _d.Cli("stats", "--no-stream", "--format", "{{.Name}}").EnsureSuccess("docker stats").Stdout);

            var missing = _d.Cli("stats", "--no-stream", "compat-no-such-container");
            Assert.Equal(1, missing.ExitCode);
            Assert.Equal("Error response from daemon: No such container: compat-no-such-container\n", missing.Stderr);
            Assert.Equal("", missing.Stdout);
        }
        finally
        {
            _d.Cli("rm", "-f", name);
        }
    }

    [Fact]
    public void Update_changes_a_running_container_s_cgroup_and_inspect_shows_it()
    {
        const string name = "compat-update-running";
        try
        {
            string id = _d.Cli("run", "-d", "--name", name, Image, "sleep", "1000").EnsureSuccess("docker run -d").Stdout.Trim();
            string since = Now(-1);
            var update = _d.Cli("update", "--memory", "64m", "--memory-swap", "128m", "--cpus", "0.5", "--pids-limit", "20", name).EnsureSuccess("docker update");
            Assert.Equal(name + "\n", update.Stdout);

            Assert.Equal((64 * MiB).ToString(CultureInfo.InvariantCulture), CgroupLimits(id).Memory);
            Assert.Equal("50000 100000", CgroupLimits(id).CpuQuotaPeriod);
            Assert.Equal("20", CgroupLimits(id).Pids);
            Assert.Equal($"{64 * MiB} {128 * MiB} 500000000 20", _d.Inspect(name, "{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}} {{.HostConfig.NanoCpus}} {{.HostConfig.PidsLimit}}"));
            Assert.Equal("64MiB", _d.Cli("stats", "--no-stream", "--format", "{{.MemUsage}}", name).EnsureSuccess("docker stats").Stdout.Trim().Split(" / ")[1]);

            // Unlimited pids (0 or -1) and a restart policy; the event says "update".
            _d.Cli("update", "--pids-limit", "-1", "--restart", "on-failure:3", name).EnsureSuccess("docker update --pids-limit -1");
            Assert.Equal("max", CgroupLimits(id).Pids);
            Assert.Equal("0 on-failure 3", _d.Inspect(name, "{{.HostConfig.PidsLimit}} {{.HostConfig.RestartPolicy.Name}} {{.HostConfig.RestartPolicy.MaximumRetryCount}}"));
            var events = _d.Cli("events", "--since", since, "--until", Now(1), "--filter", "event=update", "--format", "{{.Action}} {{.Actor.Attributes.name}}").EnsureSuccess("docker events");
            Assert.Equal($"update {name}\nupdate {name}\n", events.Stdout);
        }
        finally
        {
            _d.Cli("rm", "-f", name);
        }
    }

    [Fact]
    public void Update_of_a_stopped_container_applies_at_its_next_start()
    {
        const string name = "compat-update-stopped";
        try
        {
            string id = _d.Cli("create", "--name", name, Image, "sleep", "1000").EnsureSuccess("docker create").Stdout.Trim();
            _d.Cli("update", "--memory", "48m", "--memory-swap", "96m", "--cpu-quota", "30000", "--pids-limit", "7", name).EnsureSuccess("docker update of a created container");
            Assert.Equal($"{48 * MiB} 30000 7", _d.Inspect(name, "{{.HostConfig.Memory}} {{.HostConfig.CpuQuota}} {{.HostConfig.PidsLimit}}"));

            _d.Cli("start", name).EnsureSuccess("docker start");
            var limits = CgroupLimits(id);
            Assert.Equal((48 * MiB).ToString(CultureInfo.InvariantCulture), limits.Memory);
            Assert.StartsWith("30000 ", limits.CpuQuotaPeriod);
            Assert.Equal("7", limits.Pids);
        }
        finally
        {
            _d.Cli("rm", "-f", name);
        }
    }

    [Fact]
    public void Bad_updates_give_docker_s_errors_and_change_nothing()
    {
        const string name = "compat-update-bad";
        try
        {
            string id = _d.Cli("run", "-d", "--name", name, "--memory", "32m", "--cpus", "1", Image, "sleep", "1000").EnsureSuccess("docker run -d").Stdout.Trim();
            string before = _d.Inspect(name, "{{json .HostConfig}}");
            var limitsBefore = CgroupLimits(id);

            AssertRefused(["--memory", "1k"], "Error response from daemon: Minimum memory limit allowed is 6MB");
            AssertRefused(["--memory", "128m"], $"Error response from daemon: Cannot update container {id}: Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time");
            AssertRefused(["--cpu-period", "50000"], $"Error response from daemon: Cannot update container {id}: Conflicting options: CPU Period cannot be updated as NanoCPUs has already been set");
            AssertRefused(["--cpuset-cpus", "x"], "Error response from daemon: Invalid value x for cpuset cpus: invalid format: x");
            AssertRefused(["--memory-reservation", "1k"], "Error response from daemon: Minimum memory reservation allowed is 6MB");
            AssertRefused(["--restart", "bogus"], "Error response from daemon: invalid restart policy: unknown policy 'bogus'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'");

            var noFlags = _d.Cli("update", name);
            Assert.Equal(1, noFlags.ExitCode);
            Assert.Equal("you must provide one or more flags when using this command\n", noFlags.Stderr);
            var missing = _d.Cli("update", "--cpu-shares", "512", "compat-no-such-container");
            Assert.Equal("Error response from daemon: No such container: compat-no-such-container\n", missing.Stderr);

            Assert.Equal(before, _d.Inspect(name, "{{json .HostConfig}}"));
            Assert.Equal(limitsBefore, CgroupLimits(id));
        }
        finally
        {
            _d.Cli("rm", "-f", name);
        }

        void AssertRefused(string[] flags, string error)
        {
            var result = _d.Cli(["update", .. flags, name]);
            Assert.Equal(1, result.ExitCode);
            Assert.Equal(error + "\n", result.Stderr);
            Assert.Equal("", result.Stdout);
        }
    }

    [Fact]
    public async Task Stats_api_answers_in_docker_s_json_shape()
    {
        const string name = "compat-stats-api";
        const string stopped = "compat-stats-api-stopped";
        try
        {
            string id = _d.Cli("run", "-d", "--name", name, Image, "sleep", "1000").EnsureSuccess("docker run -d").Stdout.Trim();
            string stoppedId = _d.Cli("create", "--name", stopped, Image, "true").EnsureSuccess("docker create").Stdout.Trim();
            using var http = UnixHttp.Client(_d.Socket);

            // Not streamed: the second of two samples, with the first as precpu.
            using (var doc = JsonDocument.Parse(await http.GetStringAsync($"/v1.50/containers/{name}/stats?stream=0")))
            {
                var s = doc.RootElement;
                Assert.Equal("/" + name, s.GetProperty("name").GetString());
                Assert.Equal(id, s.GetProperty("id").GetString());
                Assert.True(s.GetProperty("read").GetDateTimeOffset() > s.GetProperty("preread").GetDateTimeOffset());
                Assert.True(s.GetProperty("pids_stats").GetProperty("current").GetUInt64() >= 1);
                Assert.Equal(0, s.GetProperty("num_procs").GetInt32());
                Assert.Equal(JsonValueKind.Object, s.GetProperty("storage_stats").ValueKind);
                foreach (string list in new[] { "io_service_bytes_recursive", "io_serviced_recursive", "io_queue_recursive", "io_service_time_recursive", "io_wait_time_recursive", "io_merged_recursive", "io_time_recursive", "sectors_recursive" })
                    Assert.True(s.GetProperty("blkio_stats").TryGetProperty(list, out _), list);
                foreach (string cpu in new[] { "cpu_stats", "precpu_stats" })
                {
                    var c = s.GetProperty(cpu);
                    foreach (string usage in new[] { "total_usage", "usage_in_kernelmode", "usage_in_usermode" })
                        Assert.Equal(JsonValueKind.Number, c.GetProperty("cpu_usage").GetProperty(usage).ValueKind);
                    Assert.True(c.GetProperty("system_cpu_usage").GetUInt64() > 0, cpu);
                    Assert.True(c.GetProperty("online_cpus").GetUInt32() > 0, cpu);
                    foreach (string throttling in new[] { "periods", "throttled_periods", "throttled_time" })
                        Assert.Equal(JsonValueKind.Number, c.GetProperty("throttling_data").GetProperty(throttling).ValueKind);
                }
                Assert.True(s.GetProperty("cpu_stats").GetProperty("system_cpu_usage").GetUInt64() >= s.GetProperty("precpu_stats").GetProperty("system_cpu_usage").GetUInt64());
                var memory = s.GetProperty("memory_stats");
                Assert.True(memory.GetProperty("usage").GetUInt64() > 0);
                Assert.True(memory.GetProperty("limit").GetUInt64() > 0);
                var keys = memory.GetProperty("stats").EnumerateObject().Select(p => p.Name).ToList();
                if (CgroupV2)
                {
                    Assert.Contains("inactive_file", keys);
                    Assert.False(memory.TryGetProperty("max_usage", out _));
                }
                else
                {
                    Assert.Contains("total_inactive_file", keys);
                    Assert.True(memory.GetProperty("max_usage").GetUInt64() > 0);
                    Assert.Equal(JsonValueKind.Array, s.GetProperty("cpu_stats").GetProperty("cpu_usage").GetProperty("percpu_usage").ValueKind);
                    Assert.Equal(JsonValueKind.Array, s.GetProperty("blkio_stats").GetProperty("io_service_bytes_recursive").ValueKind);
                }
                // The default bridge's eth0, keyed by interface name as dockerd's (loopback left out).
                var networks = s.GetProperty("networks").EnumerateObject().ToList();
                Assert.Equal(["eth0"], networks.Select(n => n.Name));
                Assert.Equal(
                    ["rx_bytes", "rx_packets", "rx_errors", "rx_dropped", "tx_bytes", "tx_packets", "tx_errors", "tx_dropped"],
                    networks[0].Value.EnumerateObject().Select(p => p.Name));
            }

            // One shot: a single sample, no previous one.
            using (var doc = JsonDocument.Parse(await http.GetStringAsync($"/containers/{id}/stats?stream=false&one-shot=true")))
                Assert.Equal("0001-01-01T00:00:00Z", doc.RootElement.GetProperty("preread").GetString());

            // A stopped container: zeroed, with its name and ID.
            Assert.Equal(
                """{"name":"/compat-stats-api-stopped","id":"ID","read":"0001-01-01T00:00:00Z","preread":"0001-01-01T00:00:00Z","pids_stats":{},"blkio_stats":{"io_service_bytes_recursive":null,"io_serviced_recursive":null,"io_queue_recursive":null,"io_service_time_recursive":null,"io_wait_time_recursive":null,"io_merged_recursive":null,"io_time_recursive":null,"sectors_recursive":null},"num_procs":0,"storage_stats":{},"cpu_stats":{"cpu_usage":{"total_usage":0,"usage_in_kernelmode":0,"usage_in_usermode":0},"throttling_data":{"periods":0,"throttled_periods":0,"throttled_time":0}},"precpu_stats":{"cpu_usage":{"total_usage":0,"usage_in_kernelmode":0,"usage_in_usermode":0},"throttling_data":{"periods":0,"throttled_periods":0,"throttled_time":0}},"memory_stats":{}}""".Replace("\"ID\"", $"\"{stoppedId}\""),
                (await http.GetStringAsync($"/containers/{stopped}/stats?stream=0")).TrimEnd('\n'));

            var missing = await http.GetAsync("/containers/compat-no-such-container/stats?stream=0");
            Assert.Equal(404, (int)missing.StatusCode);
            Assert.Equal("{\"message\":\"No such container: compat-no-such-container\"}\n", await missing.Content.ReadAsStringAsync());

            // Streamed: one line per sample, each with the previous one's read time as preread; leaving costs the daemon nothing.
            using (var response = await http.GetAsync($"/containers/{name}/stats", HttpCompletionOption.ResponseHeadersRead))
            using (var reader = new StreamReader(await response.Content.ReadAsStreamAsync()))
            {
                Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
                using var first = JsonDocument.Parse((await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)))!);
                using var second = JsonDocument.Parse((await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)))!);
                Assert.Equal("0001-01-01T00:00:00Z", first.RootElement.GetProperty("preread").GetString());
                Assert.Equal(first.RootElement.GetProperty("read").GetString(), second.RootElement.GetProperty("preread").GetString());
            }
            Assert.Equal("true", _d.Inspect(name, "{{.State.Running}}"));
        }
        finally
        {
            _d.Cli("rm", "-f", name, stopped);
        }
    }

    static bool CgroupV2 => File.Exists("/sys/fs/cgroup/cgroup.controllers");

    /// <summary>The container's memory limit, CPU quota and period, and pids limit, as its cgroup files say (v1 or v2).</summary>
    (string Memory, string CpuQuotaPeriod, string Pids) CgroupLimits(string id)
    {
        string path = $"{_d.CgroupParent}/{id}";
        static string Read(string file) => File.ReadAllText(file).Trim();
        if (CgroupV2)
        {
            string dir = "/sys/fs/cgroup" + path;
            return (Read(dir + "/memory.max"), Read(dir + "/cpu.max"), Read(dir + "/pids.max"));
        }
        return (Read($"/sys/fs/cgroup/memory{path}/memory.limit_in_bytes"),
            Read($"/sys/fs/cgroup/cpu{path}/cpu.cfs_quota_us") + " " + Read($"/sys/fs/cgroup/cpu{path}/cpu.cfs_period_us"),
            Read($"/sys/fs/cgroup/pids{path}/pids.max"));
    }

    static string Now(int plusSeconds = 0) => DateTimeOffset.UtcNow.AddSeconds(plusSeconds).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
}
