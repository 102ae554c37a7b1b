using Berth.Engine.Model;

namespace Berth.Engine.Health;

/// <summary>
/// How a container's health changes (moby daemon/health.go handleProbeResult and container/health.go):
/// each change returns a new <see cref="Model.Health"/> and leaves the old one as it was, so readers (inspect,
/// the record's writer) always see a whole state.
/// </summary>
public static class HealthRules
{
    /// <summary>Docker keeps the last five results.</summary>
    public const int MaxLogEntries = 5;

    /// <summary>The state at a start, restart or restore: starting, no failures, the old results kept.</summary>
    public static Model.Health Starting(Model.Health? current) => new()
    {
        Status = HealthStatus.Starting,
        FailingStreak = 0,
        Log = [.. current?.Log ?? []],
    };

    /// <summary>When probing stops (exit, pause): unhealthy, as Docker marks it "for compatibility reasons".</summary>
    public static Model.Health Stopped(Model.Health current) => new()
    {
        Status = HealthStatus.Unhealthy,
        FailingStreak = current.FailingStreak,
        Log = [.. current.Log ?? []],
    };

    /// <summary>
    /// One probe's result: exit code 0 is healthy and clears the streak; anything else is a failure,
    /// which does not count while the container is starting within its start period, and makes it
    /// unhealthy once <paramref name="retries"/> failures follow each other.
    /// </summary>
    public static Model.Health Record(Model.Health current, HealthcheckResult result, int retries, TimeSpan startPeriod, DateTimeOffset startedAt)
    {
        var log = new List<HealthcheckResult>(current.Log ?? []) { result };
        if (log.Count > MaxLogEntries)
            log.RemoveRange(0, log.Count - MaxLogEntries);
        string status = current.Status;
        int streak = current.FailingStreak;
        if (result.ExitCode == 0)
        {
            status = HealthStatus.Healthy;
            streak = 0;
        }
        else if (status != HealthStatus.Starting || result.Start - startedAt >= startPeriod)
        {
            streak++;
            if (streak >= retries)
                status = HealthStatus.Unhealthy;
        }
        return new Model.Health { Status = status, FailingStreak = streak, Log = log };
    }
}
