namespace Berth.Engine.Logs;

/// <summary>A container's HostConfig.LogConfig: the driver ("json-file", "local", "none") and its --log-opt options.</summary>
public sealed record LogConfig(string Type, IReadOnlyDictionary<string, string> Options);
