namespace Berth.Engine.Health;

/// <summary>Docker's health states, by the names inspect, <c>ps</c> and the <c>health</c> filter use.</summary>
public static class HealthStatus
{
    /// <summary>No check: what the <c>health</c> filter calls a container without one (never stored).</summary>
    public const string None = "none";

    /// <summary>Started, and no probe has passed yet.</summary>
    public const string Starting = "starting";

    public const string Healthy = "healthy";

    public const string Unhealthy = "unhealthy";

    public static bool IsValid(string status) => status is None or Starting or Healthy or Unhealthy;

    /// <summary>How <c>ps</c> shows it after "Up 5 seconds": "health: starting", "healthy", "unhealthy".</summary>
    public static string Describe(string status) => status == Starting ? "health: starting" : status;
}
