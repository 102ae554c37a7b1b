namespace Berth.Runtime.Tests.Comparison;

/// <summary>The catalogue of <see cref="RunProbe"/>s, by group in the partial files beside this one.</summary>
internal static partial class RunProbes
{
    public static IReadOnlyList<RunProbe> ProcessGroup => [.. Process()];

    public static IReadOnlyList<RunProbe> FileSystemGroup => [.. FileSystem()];

    public static IReadOnlyList<RunProbe> KernelGroup => [.. Kernel()];

    public static IReadOnlyList<RunProbe> StartGroup => [.. Start()];

    public static RunProbe Named(string name)
        => ProcessGroup.Concat(FileSystemGroup).Concat(KernelGroup).Concat(StartGroup).Single(p => p.Name == name);

    /// <summary>The value of a "Key:\tvalue" line of /proc/self/status in a probe's output.</summary>
    public static string Field(string output, string key)
        => output.Split('\n').First(l => l.StartsWith(key + ":", StringComparison.Ordinal))[(key.Length + 1)..].Trim();
}
