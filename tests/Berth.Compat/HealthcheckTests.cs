using System.Globalization;
using System.Text.Json;
using Berth.TestSupport;

namespace Berth.Compat;

/// <summary>
/// Health checks through the docker CLI (v28) against berthd: --health-* flags and an image's
/// HEALTHCHECK, State.Health in inspect, ps's status column and health filter, health_status and the
/// probes' exec events, timeouts, pause/stop/start, and a berthd restart. Every wait is on what
/// inspect, ps or events show; the bounds only guard against hanging.
/// </summary>
public sealed class HealthcheckTests(BerthdFixture fixture) : IClassFixture<BerthdFixture>
{
    readonly BerthDaemon _d = fixture.Daemon;
    const string Image = BerthDaemon.Image;

    /// <summary>Now for --since and --until: Unix seconds with milliseconds.</summary>
    static string Now() => (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000m).ToString("F3", CultureInfo.InvariantCulture);

    /// <summary>The container events since then, as "action|name|execID|exitCode" lines.</summary>
    static string[] Events(BerthDaemon d, string since, params string[] filters)
        => d.Cli(["events", "--since", since, "--until", Now(), .. filters.SelectMany(f => new[] { "--filter", f }),
                "--format", "{{.Action}}|{{.Actor.Attributes.name}}|{{.Actor.Attributes.execID}}|{{.Actor.Attributes.exitCode}}"])
            .EnsureSuccess("docker events").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    string Health(string name) => _d.Inspect(name, "{{.State.Health.Status}}");

    string Status(string name) => _d.Cli("ps", "-a", "--filter", "name=" + name, "--format", "{{.Status}}").EnsureSuccess("docker ps").Stdout.Trim();

    List<string> Names(params string[] filters)
        => [.. _d.Cli(["ps", .. filters.SelectMany(f => new[] { "--filter", f }), "--format", "{{.Names}}"]).EnsureSuccess("docker ps").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)];

    static JsonElement HealthJson(BerthDaemon d, string name) => JsonDocument.Parse(d.Inspect(name, "{{json .State.Health}}")).RootElement;

    [Fact]
    public void A_failing_check_turns_unhealthy_after_its_retries_and_healthy_once_it_passes()
    {
        const string name = "hc-flow";
        string since = Now();
        try
        {
            _d.Cli("run", "-d", "--name", name, "--health-cmd", "test -e /tmp/ok", "--health-interval", "1s", "--health-retries", "2", Image, "sleep", "1000").EnsureSuccess("docker run -d");

            Wait.Until(() => Health(name) == "unhealthy", "the container to turn unhealthy");
            var health = HealthJson(_d, name);
            Assert.True(health.GetProperty("FailingStreak").GetInt32() >= 2);
            var first = health.GetProperty("Log")[0];
            Assert.Equal(1, first.GetProperty("ExitCode").GetInt32());
            Assert.Equal("", first.GetProperty("Output").GetString());
            Assert.True(first.GetProperty("End").GetDateTimeOffset() >= first.GetProperty("Start").GetDateTimeOffset());
            Assert.Matches(@"^Up .* \(unhealthy\)$", Status(name));
            Assert.Contains(name, Names("health=unhealthy"));

            _d.Cli("exec", name, "touch", "/tmp/ok").EnsureSuccess("docker exec touch");
            Wait.Until(() => Health(name) == "healthy", "the container to turn healthy");
            health = HealthJson(_d, name);
            Assert.Equal(0, health.GetProperty("FailingStreak").GetInt32());
            var log = health.GetProperty("Log");
            Assert.InRange(log.GetArrayLength(), 1, 5);
            Assert.Equal(0, log[log.GetArrayLength() - 1].GetProperty("ExitCode").GetInt32());
            Assert.Matches(@"^Up .* \(healthy\)$", Status(name));
            Assert.Contains(name, Names("health=healthy"));
            Assert.DoesNotContain(name, Names("health=unhealthy"));
            Assert.DoesNotContain(name, Names("health=none"));

            // The event follows the state that inspect shows.
            string[] statuses = [$"health_status: unhealthy|{name}|<no value>|<no value>", $"health_status: healthy|{name}|<no value>|<no value>"];
            Wait.Until(() => Events(_d, since, "container=" + name, "event=health_status").SequenceEqual(statuses), "health_status events for both changes");
            var events = Events(_d, since, "container=" + name);
            Assert.Equal(statuses, events.Where(e => e.StartsWith("health_status", StringComparison.Ordinal)));
            Assert.Contains(events, e => e.StartsWith($"exec_create: /bin/sh -c test -e /tmp/ok|{name}|", StringComparison.Ordinal));
            Assert.Contains(events, e => e.StartsWith($"exec_start: /bin/sh -c test -e /tmp/ok|{name}|", StringComparison.Ordinal));
            Assert.Contains(events, e => e.StartsWith($"exec_die|{name}|", StringComparison.Ordinal) && e.EndsWith("|1", StringComparison.Ordinal));
            // A probe's exec is gone from the container once it has ended, as in Docker.
            Wait.Until(() => _d.Inspect(name, "{{json .ExecIDs}}") == "null", "no exec listed while none runs");
        }
        finally
        {
            _d.Cli("rm", "-f", name);
        }
    }

    [Fact]
    public void A_container_with_a_check_starts_as_starting_and_ps_says_so()
    {
        const string name = "hc-starting";
        const string plain = "hc-plain";
        try
        {
            // An hour between probes: the first one never comes while the test looks.
            _d.Cli("run", "-d", "--name", name, "--health-cmd", "true", "--health-interval", "1h", Image, "sleep", "1000").EnsureSuccess("docker run -d");
            _d.Cli("run", "-d", "--name", plain, Image, "sleep", "1000").EnsureSuccess("docker run -d");

            Assert.Equal("""{"Status":"starting","FailingStreak":0,"Log":[]}""", _d.Inspect(name, "{{json .State.Health}}"));
            Assert.Matches(@"^Up .* \(health: starting\)$", Status(name));
            Assert.Equal([name], Names("health=starting"));
            Assert.Contains(plain, Names("health=none"));
            Assert.DoesNotContain(name, Names("health=none"));
            Assert.Equal("<nil>", _d.Inspect(plain, "{{print .State.Health}}"));
            Assert.Matches(@"^Up [^(]*$", Status(plain));

            var bad = _d.Cli("ps", "--filter", "health=sickly");
            Assert.NotEqual(0, bad.ExitCode);
            Assert.Contains("Error response from daemon: Unrecognised filter value for health: sickly", bad.Stderr);
        }
        finally
        {
            _d.Cli("rm", "-f", name, plain);
        }
    }

    [Fact]
    public void Pause_and_stop_end_the_checks_as_unhealthy_and_a_start_makes_it_starting_again()
    {
        const string name = "hc-pause";
        try
        {
            _d.Cli("run", "-d", "--name", name, "--health-cmd", "true", "--health-interval", "1h", Image, "sleep", "1000").EnsureSuccess("docker run -d");
            Assert.Equal("starting", Health(name));

            _d.Cli("pause", name).EnsureSuccess("docker pause");
            Assert.Equal("paused unhealthy", _d.Inspect(name, "{{.State.Status}} {{.State.Health.Status}}"));
            Assert.Matches(@"^Up .* \(Paused\)$", Status(name));
            // Docker leaves it unhealthy after unpause until a probe says otherwise.
            _d.Cli("unpause", name).EnsureSuccess("docker unpause");
            Assert.Equal("running unhealthy", _d.Inspect(name, "{{.State.Status}} {{.State.Health.Status}}"));

            _d.Cli("stop", "-t", "0", name).EnsureSuccess("docker stop");
            Assert.Equal("exited unhealthy", _d.Inspect(name, "{{.State.Status}} {{.State.Health.Status}}"));
            Assert.StartsWith("Exited (137)", Status(name));

            _d.Cli("start", name).EnsureSuccess("docker start");
            Assert.Equal("""{"Status":"starting","FailingStreak":0,"Log":[]}""", _d.Inspect(name, "{{json .State.Health}}"));
        }
        finally
        {
            _d.Cli("rm", "-f", name);
        }
    }

    [Fact]
    public void A_probe_past_its_timeout_is_killed_and_fails_with_docker_s_words()
    {
        const string name = "hc-timeout";
        try
        {
            string since = Now();
            _d.Cli("run", "-d", "--name", name, "--health-cmd", "echo begun; exec sleep 60", "--health-timeout", "3s", "--health-interval", "1s", "--health-retries", "1", Image, "sleep", "1000")
                .EnsureSuccess("docker run -d");
            Wait.Until(() => Health(name) == "unhealthy", "the timed-out probe to make it unhealthy");
            var result = HealthJson(_d, name).GetProperty("Log")[0];
            Assert.Equal(-1, result.GetProperty("ExitCode").GetInt32());
            Assert.Equal("Health check exceeded timeout (3s): begun\n", result.GetProperty("Output").GetString());
            // Killed, not left to run its minute: its exec died of SIGKILL.
            Wait.Until(() => Events(_d, since, "container=" + name, "event=exec_die").Any(e => e.EndsWith("|137", StringComparison.Ordinal)), "the probe's exec_die with exit code 137");
        }
        finally
        {
            _d.Cli("rm", "-f", name);
        }
    }

    [Fact]
    public void An_image_s_check_is_inherited_and_no_healthcheck_turns_it_off()
    {
        const string source = "hc-source", inherits = "hc-inherits", disabled = "hc-disabled";
        const string image = "berth-test-healthy:latest";
        try
        {
            _d.Cli("create", "--name", source, "--health-cmd", "exit 0", "--health-interval", "1s", Image, "sleep", "1000").EnsureSuccess("docker create");
            _d.Cli("commit", source, image).EnsureSuccess("docker commit");
            Assert.Equal("""{"Test":["CMD-SHELL","exit 0"],"Interval":1000000000}""", _d.Cli("image", "inspect", "-f", "{{json .Config.Healthcheck}}", image).EnsureSuccess("docker image inspect").Stdout.Trim());

            _d.Cli("run", "-d", "--name", inherits, image).EnsureSuccess("docker run of the image");
            Wait.Until(() => Health(inherits) == "healthy", "the image's check to pass");

            _d.Cli("run", "-d", "--name", disabled, "--no-healthcheck", image).EnsureSuccess("docker run --no-healthcheck");
            Assert.Equal("""{"Test":["NONE"],"Interval":1000000000}""", _d.Inspect(disabled, "{{json .Config.Healthcheck}}"));
            Assert.Equal("<nil>", _d.Inspect(disabled, "{{print .State.Health}}"));
            Assert.Matches(@"^Up [^(]*$", Status(disabled));
            Assert.Contains(disabled, Names("health=none"));
            Assert.DoesNotContain(inherits, Names("health=none"));
        }
        finally
        {
            _d.Cli("rm", "-f", source, inherits, disabled);
            _d.Cli("rmi", image);
        }
    }

    [Fact]
    public void Durations_below_a_millisecond_are_refused_with_docker_s_error_and_nothing_is_created()
    {
        const string name = "hc-bad";
        var run = _d.Cli("run", "-d", "--name", name, "--health-cmd", "true", "--health-interval", "500us", Image, "sleep", "1000");
        Assert.Equal(125, run.ExitCode);
        Assert.Contains("Error response from daemon: Interval in Healthcheck cannot be less than 1ms", run.Stderr);
        Assert.Equal(1, _d.Cli("inspect", name).ExitCode);
    }

    [Fact]
    public void The_health_log_survives_a_berthd_restart_and_the_checks_go_on()
    {
        using var d = new BerthDaemon(["--live-restore"]);
        const string name = "hc-restore";
        // Checks every second while starting, then hourly: one result per run of the checks.
        d.Cli("run", "-d", "--name", name, "--health-cmd", "echo ok", "--health-interval", "1h", "--health-start-period", "1h", "--health-start-interval", "1s", Image, "sleep", "1000")
            .EnsureSuccess("docker run -d");
        Wait.Until(() => d.Inspect(name, "{{.State.Health.Status}}") == "healthy", "the first check to pass");
        var before = HealthJson(d, name).GetProperty("Log");
        Assert.Equal(1, before.GetArrayLength());

        d.Kill();
        string since = Now();
        d.Start();

        // Restored checks start afresh ("starting"), so passing is a change again.
        Wait.Until(() => Events(d, since, "event=health_status").SequenceEqual([$"health_status: healthy|{name}|<no value>|<no value>"]), "health_status: healthy after the restart");
        var after = HealthJson(d, name);
        Assert.Equal("healthy", after.GetProperty("Status").GetString());
        Assert.Equal(2, after.GetProperty("Log").GetArrayLength());
        Assert.Equal(before[0].GetRawText(), after.GetProperty("Log")[0].GetRawText());
        Assert.Equal("ok\n", after.GetProperty("Log")[1].GetProperty("Output").GetString());
    }
}
