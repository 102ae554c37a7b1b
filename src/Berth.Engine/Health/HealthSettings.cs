using Berth.Engine.Model;

namespace Berth.Engine.Health;

/// <summary>
/// A container's health check as the engine runs it: the probe's command and Docker's defaults for
/// what the config leaves at zero (moby daemon/health.go: 30 s interval and timeout, 3 retries, no
/// start period, 5 s between checks during the start period).
/// </summary>
public sealed record HealthSettings(IReadOnlyList<string> Command, TimeSpan Interval, TimeSpan Timeout, TimeSpan StartPeriod, TimeSpan StartInterval, int Retries)
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan DefaultStartPeriod = TimeSpan.Zero;
    public static readonly TimeSpan DefaultStartInterval = TimeSpan.FromSeconds(5);
    public const int DefaultRetries = 3;

    /// <summary>Docker's shell for <c>CMD-SHELL</c> when the config names none.</summary>
    static readonly List<string> DefaultShell = ["/bin/sh", "-c"];

    /// <summary>Docker's floor for each duration that is set (containertypes.MinimumDuration).</summary>
    const long MinimumNanoseconds = 1_000_000;

    /// <summary>
    /// The check of a container's (merged) config; null when it has none: no Healthcheck, an empty
    /// test, <c>NONE</c>, or a test type Docker does not know (it logs and runs nothing).
    /// </summary>
    public static HealthSettings? Of(ContainerConfig config)
    {
        if (config.Healthcheck is not { Test: [var type, .. var rest] } check)
            return null;
        IReadOnlyList<string>? command = type switch
        {
            "CMD" => rest,
            "CMD-SHELL" => [.. config.Shell is { Count: > 0 } shell ? shell : DefaultShell, .. rest],
            _ => null,
        };
        if (command is null || command.Count == 0)
            return null;
        return new HealthSettings(
            command,
            OrDefault(check.Interval, DefaultInterval),
            OrDefault(check.Timeout, DefaultTimeout),
            OrDefault(check.StartPeriod, DefaultStartPeriod),
            OrDefault(check.StartInterval, DefaultStartInterval),
            check.Retries > 0 ? check.Retries : DefaultRetries);
    }

    /// <summary>
    /// The wait before the next probe: the start interval while the start period lasts and no probe
    /// has passed, the interval otherwise.
    /// </summary>
    public TimeSpan NextInterval(TimeSpan sinceStart, string status)
        => sinceStart < StartPeriod && status == HealthStatus.Starting ? StartInterval : Interval;

    /// <summary>Docker's check of a client's Healthcheck at create (daemon/container.go validateHealthCheck), with its words.</summary>
    public static void Validate(HealthConfig? check)
    {
        if (check is null)
            return;
        if (check.Interval is not 0 and < MinimumNanoseconds)
            throw EngineException.Invalid("Interval in Healthcheck cannot be less than 1ms");
        if (check.Timeout is not 0 and < MinimumNanoseconds)
            throw EngineException.Invalid("Timeout in Healthcheck cannot be less than 1ms");
        if (check.Retries < 0)
            throw EngineException.Invalid("Retries in Healthcheck cannot be negative");
        if (check.StartPeriod is not 0 and < MinimumNanoseconds)
            throw EngineException.Invalid("StartPeriod in Healthcheck cannot be less than 1ms");
        if (check.StartInterval is not 0 and < MinimumNanoseconds)
            throw EngineException.Invalid("StartInterval in Healthcheck cannot be less than 1ms");
    }

    /// <summary>Zero inherits; a negative value (only a hand-made image has one) too, rather than a busy loop.</summary>
    static TimeSpan OrDefault(long nanoseconds, TimeSpan fallback)
        => nanoseconds <= 0 ? fallback : TimeSpan.FromTicks(nanoseconds / TimeSpan.NanosecondsPerTick);
}
