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

    public string Root { get; init; } = ContainerStore.DefaultRoot;

    public bool SystemdCgroup { get; init; }

    public ContainerStore Store => new(Root);
}
