using Berth.Engine.Health;
using Berth.Engine.Model;

namespace Berth.Engine.Tests.Health;

/// <summary>What a container's Healthcheck config means to the engine: the probe's command, Docker's defaults, its checks at create.</summary>
public sealed class HealthSettingsTests
{
    const long Second = 1_000_000_000;

    [Fact]
    public void Zero_fields_take_docker_s_defaults()
    {
        var settings = HealthSettings.Of(new ContainerConfig { Healthcheck = new HealthConfig { Test = ["CMD", "true"] } })!;
        Assert.Equal(["true"], settings.Command);
        Assert.Equal(TimeSpan.FromSeconds(30), settings.Interval);
        Assert.Equal(TimeSpan.FromSeconds(30), settings.Timeout);
        Assert.Equal(TimeSpan.Zero, settings.StartPeriod);
        Assert.Equal(TimeSpan.FromSeconds(5), settings.StartInterval);
        Assert.Equal(3, settings.Retries);
    }

    [Fact]
    public void Set_fields_are_taken_as_nanoseconds()
    {
        var check = new HealthConfig { Test = ["CMD", "true"], Interval = 2 * Second, Timeout = Second / 2, StartPeriod = 10 * Second, StartInterval = Second, Retries = 7 };
        var settings = HealthSettings.Of(new ContainerConfig { Healthcheck = check })!;
        Assert.Equal((TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(1), 7),
            (settings.Interval, settings.Timeout, settings.StartPeriod, settings.StartInterval, settings.Retries));
    }

    [Fact]
    public void Cmd_shell_runs_in_the_container_s_shell_or_bin_sh()
    {
        var check = new HealthConfig { Test = ["CMD-SHELL", "test -e /tmp/ok"] };
        Assert.Equal(["/bin/sh", "-c", "test -e /tmp/ok"], HealthSettings.Of(new ContainerConfig { Healthcheck = check })!.Command);
        Assert.Equal(["/bin/ash", "-eo", "test -e /tmp/ok"], HealthSettings.Of(new ContainerConfig { Healthcheck = check, Shell = ["/bin/ash", "-eo"] })!.Command);
    }

    [Theory]
    [InlineData]
    [InlineData("NONE")]
    [InlineData("CMD")]
    [InlineData("HTTP", "/")]
    public void No_check_without_a_runnable_test(params string[] test)
    {
        Assert.Null(HealthSettings.Of(new ContainerConfig()));
        Assert.Null(HealthSettings.Of(new ContainerConfig { Healthcheck = new HealthConfig { Test = [.. test] } }));
    }

    [Fact]
    public void The_start_interval_applies_while_starting_within_the_start_period()
    {
        var settings = new HealthSettings(["true"], TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(5), 3);
        Assert.Equal(TimeSpan.FromSeconds(5), settings.NextInterval(TimeSpan.FromSeconds(10), HealthStatus.Starting));
        Assert.Equal(TimeSpan.FromSeconds(30), settings.NextInterval(TimeSpan.FromSeconds(10), HealthStatus.Healthy));
        Assert.Equal(TimeSpan.FromSeconds(30), settings.NextInterval(TimeSpan.FromSeconds(60), HealthStatus.Starting));
    }

    [Theory]
    [InlineData(-1, 0, 0, 0, 0, "Interval in Healthcheck cannot be less than 1ms")]
    [InlineData(500_000, 0, 0, 0, 0, "Interval in Healthcheck cannot be less than 1ms")]
    [InlineData(0, -100_000_000, 0, 0, 0, "Timeout in Healthcheck cannot be less than 1ms")]
    [InlineData(0, 0, -1, 0, 0, "Retries in Healthcheck cannot be negative")]
    [InlineData(0, 0, 0, 999_999, 0, "StartPeriod in Healthcheck cannot be less than 1ms")]
    [InlineData(0, 0, 0, 0, 1, "StartInterval in Healthcheck cannot be less than 1ms")]
    public void Durations_below_a_millisecond_and_negative_retries_are_docker_s_errors(long interval, long timeout, int retries, long startPeriod, long startInterval, string message)
    {
        var check = new HealthConfig { Test = ["CMD", "true"], Interval = interval, Timeout = timeout, Retries = retries, StartPeriod = startPeriod, StartInterval = startInterval };
        var e = Assert.Throws<EngineException>(() => HealthSettings.Validate(check));
        Assert.Equal((EngineErrorKind.InvalidParameter, message), (e.Kind, e.Message));
    }

    [Fact]
    public void Zero_and_one_millisecond_are_valid()
    {
        HealthSettings.Validate(null);
        HealthSettings.Validate(new HealthConfig());
        HealthSettings.Validate(new HealthConfig { Interval = 1_000_000, Timeout = 1_000_000, StartPeriod = 1_000_000, StartInterval = 1_000_000 });
    }
}
