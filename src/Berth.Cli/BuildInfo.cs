using System.Reflection;

namespace Berth.Cli;

/// <summary>The client's version and build, as "berth version" and the User-Agent show them.</summary>
internal static class BuildInfo
{
    public static string Version { get; } =
        typeof(BuildInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static string GitCommit { get; } =
        typeof(BuildInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion is { } v && v.Contains('+')
            ? v[(v.IndexOf('+') + 1)..][..Math.Min(7, v.Length - v.IndexOf('+') - 1)]
            : "unknown";

    public static DateTime Built { get; } = File.GetLastWriteTimeUtc(Environment.ProcessPath ?? "");
}
