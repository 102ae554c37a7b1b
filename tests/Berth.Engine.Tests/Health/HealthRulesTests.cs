using Berth.Engine.Health;
using Berth.Engine.Model;
using HealthState = Berth.Engine.Model.Health;

namespace Berth.Engine.Tests.Health;

/// <summary>Docker's health transitions (moby daemon/health.go handleProbeResult), without a container.</summary>
public sealed class HealthRulesTests
{
    static readonly DateTimeOffset Started = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    static HealthcheckResult Result(int exitCode, double secondsAfterStart = 60)
        => new() { Start = Started.AddSeconds(secondsAfterStart), End = Started.AddSeconds(secondsAfterStart + 0.1), ExitCode = exitCode, Output = $"exit {exitCode}" };

    static HealthState Apply(HealthState health, int retries, TimeSpan startPeriod, params int[] exitCodes)
    {
        foreach (int code in exitCodes)
            health = HealthRules.Record(health, Result(code), retries, startPeriod, Started);
        return health;
    }

    [Fact]
    public void Failures_make_it_unhealthy_only_after_retries_in_a_row_and_one_pass_makes_it_healthy()
    {
        var health = HealthRules.Starting(null);
        health = Apply(health, 3, TimeSpan.Zero, 1, 1);
        Assert.Equal((HealthStatus.Starting, 2), (health.Status, health.FailingStreak));
        health = Apply(health, 3, TimeSpan.Zero, 1);
        Assert.Equal((HealthStatus.Unhealthy, 3), (health.Status, health.FailingStreak));
        health = Apply(health, 3, TimeSpan.Zero, 1);
        Assert.Equal((HealthStatus.Unhealthy, 4), (health.Status, health.FailingStreak));
        health = Apply(health, 3, TimeSpan.Zero, 0);
        Assert.Equal((HealthStatus.Healthy, 0), (health.Status, health.FailingStreak));
    }

    [Fact]
    public void A_healthy_container_stays_healthy_until_retries_failures_follow_each_other()
    {
        var health = Apply(HealthRules.Starting(null), 2, TimeSpan.Zero, 0, 1);
        Assert.Equal((HealthStatus.Healthy, 1), (health.Status, health.FailingStreak));
        health = Apply(health, 2, TimeSpan.Zero, 0, 1, 2);
        Assert.Equal((HealthStatus.Unhealthy, 2), (health.Status, health.FailingStreak));
    }

    [Fact]
    public void Any_exit_code_but_zero_is_a_failure_also_the_minus_one_of_a_timeout()
    {
        var health = Apply(HealthRules.Starting(null), 1, TimeSpan.Zero, -1);
        Assert.Equal(HealthStatus.Unhealthy, health.Status);
    }

    [Fact]
    public void Failures_in_the_start_period_do_not_count_while_starting()
    {
        var startPeriod = TimeSpan.FromSeconds(30);
        var health = HealthRules.Starting(null);
        health = HealthRules.Record(health, Result(1, 10), 1, startPeriod, Started);
        Assert.Equal((HealthStatus.Starting, 0), (health.Status, health.FailingStreak));
        health = HealthRules.Record(health, Result(1, 30), 1, startPeriod, Started);
        Assert.Equal((HealthStatus.Unhealthy, 1), (health.Status, health.FailingStreak));
    }

    [Fact]
    public void Once_healthy_failures_count_even_within_the_start_period()
    {
        var startPeriod = TimeSpan.FromMinutes(5);
        var health = HealthRules.Record(HealthRules.Starting(null), Result(0, 1), 1, startPeriod, Started);
        health = HealthRules.Record(health, Result(1, 2), 1, startPeriod, Started);
        Assert.Equal((HealthStatus.Unhealthy, 1), (health.Status, health.FailingStreak));
    }

    [Fact]
    public void The_log_keeps_the_last_five_results_oldest_first()
    {
        var health = Apply(HealthRules.Starting(null), 100, TimeSpan.Zero, 1, 2, 3, 4, 5, 6, 7);
        Assert.Equal([3, 4, 5, 6, 7], health.Log!.Select(r => r.ExitCode));
    }

    [Fact]
    public void Recording_leaves_the_previous_state_untouched()
    {
        var before = Apply(HealthRules.Starting(null), 3, TimeSpan.Zero, 1);
        var after = HealthRules.Record(before, Result(0), 3, TimeSpan.Zero, Started);
        Assert.Equal((HealthStatus.Starting, 1, 1), (before.Status, before.FailingStreak, before.Log!.Count));
        Assert.Equal((HealthStatus.Healthy, 0, 2), (after.Status, after.FailingStreak, after.Log!.Count));
    }

    [Fact]
    public void A_start_resets_status_and_streak_and_keeps_the_log()
    {
        var health = Apply(HealthRules.Starting(null), 1, TimeSpan.Zero, 1, 1);
        var started = HealthRules.Starting(health);
        Assert.Equal((HealthStatus.Starting, 0), (started.Status, started.FailingStreak));
        Assert.Equal(2, started.Log!.Count);
        Assert.Empty(HealthRules.Starting(null).Log!);
    }

    [Fact]
    public void Stopping_the_checks_marks_the_container_unhealthy_as_docker_does()
    {
        var health = Apply(HealthRules.Starting(null), 3, TimeSpan.Zero, 0);
        var stopped = HealthRules.Stopped(health);
        Assert.Equal((HealthStatus.Unhealthy, 0, 1), (stopped.Status, stopped.FailingStreak, stopped.Log!.Count));
    }
}
