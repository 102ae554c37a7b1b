namespace Berth.Runtime;

/// <summary>Versions the runtime reports (`--version`, state, features).</summary>
public static class RuntimeInfo
{
    public const string Name = "berth-runtime";

    public const string Version = "0.1.0";

    /// <summary>The OCI runtime spec version implemented.</summary>
    public const string OciVersion = "1.2.0";
}
