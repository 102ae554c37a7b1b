using System.Reflection;

namespace Berth.Runtime;

/// <summary>Versions the runtime reports (`--version`, state, features).</summary>
public static class RuntimeInfo
{
    public const string Name = "berth-runtime";

    public const string Version = "0.1.0";

    /// <summary>The commit this build came from (the SDK puts the source revision after '+' in the informational version); "" when unknown.</summary>
    public static string Commit { get; } =
        typeof(RuntimeInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion is { } v && v.IndexOf('+') is var plus and >= 0
            ? v[(plus + 1)..]
            : "";

    /// <summary>The OCI runtime spec version implemented.</summary>
    public const string OciVersion = "1.2.0";
}
