using Berth.Oci.Runtime;
using Berth.TestSupport;

namespace Berth.Runtime.Tests;

/// <summary>Runs a shell script in a fresh busybox container and returns what it printed.</summary>
internal static class Probe
{
    public static string Run(OciRuntimeCli runtime, string script, Action<RuntimeSpec>? configure = null)
    {
        using var bundle = Bundle.Create("probe", "sh", "-c", script);
        if (configure is not null)
            bundle.Configure(configure);
        var result = runtime.Run(bundle);
        result.EnsureSuccess($"{runtime.Name} run of: {script}");
        return result.Stdout;
    }

    /// <summary>The value of a "Key:\tvalue" line of /proc/self/status as printed by grep.</summary>
    public static string StatusField(string status, string key)
        => status.Split('\n').First(l => l.StartsWith(key + ":", StringComparison.Ordinal))[(key.Length + 1)..].Trim();
}
