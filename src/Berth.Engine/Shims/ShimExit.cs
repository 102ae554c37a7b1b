namespace Berth.Engine.Shims;

/// <summary>How a container's run ended, as its shim recorded it.</summary>
/// <param name="ExitCode">The exit status, or 128+signal when a signal ended it (Docker's convention).</param>
/// <param name="OomKilled">The kernel's OOM killer killed a process of the container's memory cgroup.</param>
public sealed record ShimExit(int ExitCode, DateTimeOffset FinishedAt, bool OomKilled);
