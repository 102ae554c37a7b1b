using System.Text.Json;
using Berth.TestSupport;

namespace Berth.Compat;

/// <summary>
/// docker-py (Debian's python3-docker, 5.0) against berthd with no API version setting: the client script
/// (DockerPy/lifecycle.py) drives a container's whole life, an exec, archives, a network, a volume and the event
/// stream, and reports what it saw; the assertions are here. Run with Debian's python (/usr/bin/python3), whose
/// dist-packages hold the package, not whatever python3 comes first on PATH.
/// </summary>
public sealed class DockerPyTests(BerthdFixture fixture) : IClassFixture<BerthdFixture>
{
    const string Python = "/usr/bin/python3";
    readonly BerthDaemon _d = fixture.Daemon;

    [Fact]
    public void Docker_py_drives_a_container_s_life_exec_archives_networks_volumes_and_events()
    {
        Assert.True(File.Exists(Python), $"{Python} is missing: test.sh installs python3 and python3-docker");
        string prefix = TestIds.New("py");
        string script = Path.Combine(RepoPaths.Root, "tests", "Berth.Compat", "DockerPy", "lifecycle.py");
        var run = ProcessRunner.Run(Python, [script, BerthDaemon.Image, prefix], timeout: TimeSpan.FromMinutes(3),
            environment: new Dictionary<string, string> { ["DOCKER_HOST"] = "unix://" + _d.Socket });
        Assert.True(run.ExitCode == 0, $"docker-py failed (exit {run.ExitCode}):\n{run.Stderr}\n{run.Stdout}\n{_d.LogTail()}");
        using var json = JsonDocument.Parse(run.Stdout);
        var seen = json.RootElement;

        // from_env() asks the daemon's version and speaks it.
        Assert.Equal(seen.GetProperty("version").GetString(), seen.GetProperty("api_version").GetString());
        Assert.True(seen.GetProperty("ping").GetBoolean());
        Assert.Equal("hello from docker-py\n", seen.GetProperty("run_output").GetString());

        Assert.Equal("running", seen.GetProperty("status").GetString());
        Assert.Equal(prefix + "-life", seen.GetProperty("name").GetString());
        Assert.Equal("docker-py", seen.GetProperty("label").GetString());
        Assert.Equal([prefix + "-life"], Strings(seen.GetProperty("listed")));

        Assert.Equal(3, seen.GetProperty("exec").GetProperty("exit_code").GetInt32());
        Assert.Equal("exec out\n", seen.GetProperty("exec").GetProperty("output").GetString());
        Assert.Equal("o\n", seen.GetProperty("exec_demux").GetProperty("stdout").GetString());
        Assert.Equal("e\n", seen.GetProperty("exec_demux").GetProperty("stderr").GetString());
        Assert.Equal(Enumerable.Range(0, 30).Select(i => $"{i}\n"), Strings(seen.GetProperty("exec_repeated")));
        Assert.Equal(126, seen.GetProperty("exec_missing").GetProperty("exit_code").GetInt32());
        Assert.StartsWith("OCI runtime exec failed: ", seen.GetProperty("exec_missing").GetProperty("output").GetString());

        Assert.True(seen.GetProperty("put_archive").GetBoolean());
        var archive = seen.GetProperty("get_archive");
        Assert.Equal("archive content\n", archive.GetProperty("content").GetString());
        Assert.Equal("0o640", archive.GetProperty("mode").GetString());
        Assert.Equal("uploaded.txt", archive.GetProperty("stat_name").GetString());
        Assert.Equal(16, archive.GetProperty("stat_size").GetInt32());

        Assert.Equal("started\n", seen.GetProperty("logs").GetString());
        Assert.Equal("to stderr\n", seen.GetProperty("logs_stderr").GetString());
        Assert.Contains(Strings(seen.GetProperty("top")), p => p.Contains("while [ ! -e /tmp/done ]", StringComparison.Ordinal));
        Assert.Equal(7, seen.GetProperty("wait").GetProperty("StatusCode").GetInt32());
        Assert.Equal(7, seen.GetProperty("exit_code").GetInt32());
        Assert.Empty(Strings(seen.GetProperty("after_remove")));

        Assert.Equal([prefix + "-peer"], Strings(seen.GetProperty("network_containers")));
        Assert.Empty(Strings(seen.GetProperty("network_after")));
        var volume = seen.GetProperty("volume");
        Assert.Equal((prefix + "-vol", "local", "docker-py"),
            (volume.GetProperty("name").GetString(), volume.GetProperty("driver").GetString(), volume.GetProperty("label").GetString()));

        var events = Strings(seen.GetProperty("events"));
        string[] life = ["create", "start", "die", "destroy"];
        Assert.Equal(life, events.Where(life.Contains).ToArray());
        Assert.Contains(events, e => e.StartsWith("exec_start", StringComparison.Ordinal));
        Assert.Empty(_d.Cli("ps", "-aq", "--filter", "name=" + prefix).EnsureSuccess("ps").Stdout.Trim());
    }

    static List<string> Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];
}
