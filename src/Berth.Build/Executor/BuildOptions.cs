using Berth.Images.References;

namespace Berth.Build.Executor;

/// <summary>What a build is asked for besides its Dockerfile and context (<c>docker build</c>'s flags).</summary>
public sealed record BuildOptions
{
    /// <summary>Names the result is tagged with (<c>-t</c>, several allowed).</summary>
    public IReadOnlyList<Reference> Tags { get; init; } = [];

    /// <summary><c>--build-arg</c>: a null value means "take it from the environment", which the client already did, so unset.</summary>
    public IReadOnlyDictionary<string, string?> BuildArgs { get; init; } = new Dictionary<string, string?>();

    /// <summary><c>--label</c>: set on the final image, as a last LABEL step.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary><c>--target</c>: the stage to stop at (by name); null: the last.</summary>
    public string? Target { get; init; }

    public bool NoCache { get; init; }

    /// <summary><c>--pull</c>: fetch every FROM image even when it is in the store.</summary>
    public bool Pull { get; init; }

    /// <summary><c>--network</c> for RUN steps (none, default/bridge, host); a RUN's own <c>--network</c> wins.</summary>
    public string? NetworkMode { get; init; }

    /// <summary><c>--platform</c>: the default platform of FROM images.</summary>
    public string? Platform { get; init; }

    /// <summary><c>-q</c>: only the image ID is printed.</summary>
    public bool Quiet { get; init; }

    /// <summary><c>--cache-from</c>: images whose layers may satisfy steps (matched by their history).</summary>
    public IReadOnlyList<string> CacheFrom { get; init; } = [];

    /// <summary>
    /// <c>--secret</c>s by id, for <c>RUN --mount=type=secret</c>: held in memory for the build only, never part of a
    /// cache key, a layer or the output (buildkit's rule: a changed secret reuses the cached step).
    /// </summary>
    public IReadOnlyDictionary<string, byte[]> Secrets { get; init; } = new Dictionary<string, byte[]>();
}
