using Berth.Runtime.Containers;

namespace Berth.Runtime.Cli;

/// <summary>runc's global flags.</summary>
internal sealed class GlobalOptions
{
    public static readonly Flag[] Flags =
    [
        new("root", TakesValue: true),
        new("log", TakesValue: true),
        new("log-format", TakesValue: true, Default: "text"),
        new("debug"),
        new("systemd-cgroup"),
        new("rootless", TakesValue: true),
        new("criu", TakesValue: true),
        new("help", Alias: "h"),
        new("version", Alias: "v"),
    ];

    public string Root { get; init; } = DefaultRoot();

    /// <summary>As runc: /run/berth-runtime for root, $XDG_RUNTIME_DIR/berth-runtime for a rootless user.</summary>
    public static string DefaultRoot()
    {
        if (Berth.Linux.Processes.EffectiveUserId != 0 && Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR") is { Length: > 0 } runtimeDir)
            return Path.Combine(runtimeDir, RuntimeInfo.Name);
        return ContainerStore.DefaultRoot;
    }

    public bool SystemdCgroup { get; init; }

    public ContainerStore Store => new(Root);
}
