using Berth.Images.Store;
using Berth.Oci.Image;

namespace Berth.Build.Executor;

/// <summary>
/// What the builder needs from the engine above it: images for FROM (pulled if need be) and containers for RUN.
/// The engine implements it; the builder knows nothing of containers, networks or registries.
/// </summary>
public interface IBuildWorker
{
    /// <summary>The image a FROM names, pulled when it is not in the store or when <paramref name="pull"/> asks for it.</summary>
    Task<Image> GetImageAsync(string reference, bool pull, string? platform, IBuildOutput output, CancellationToken ct);

    /// <summary>
    /// Runs <see cref="RunStep.Command"/> in a container of <see cref="RunStep.Image"/>, its output to
    /// <paramref name="output"/>, then commits the container's changes as <see cref="RunStep.Commit"/> says and
    /// removes the container, whatever happened. A non-zero exit is a <see cref="BuildException"/> with its code.
    /// </summary>
    Task<Image> RunAsync(RunStep step, IBuildOutput output, CancellationToken ct);
}

/// <summary>
/// A RUN: the image it runs on, the container's config (Env with the build args added, User, WorkingDir), the
/// command, the network mode, its <c>--mount</c>s resolved to host paths, and what the commit writes (the image's
/// config without the build args). <see cref="SecretEnv"/> are the secrets a <c>--mount=type=secret,env=</c> asks for
/// (NAME=value): the container's environment has them, its config and the commit never do.
/// </summary>
public sealed record RunStep(Image Image, ExecutionConfig Container, IReadOnlyList<string> Command, string? Network, IReadOnlyList<RunStepMount> Mounts, CommitOptions Commit)
{
    public IReadOnlyList<string> SecretEnv { get; init; } = [];
}

/// <summary>
/// A RUN mount as the container gets it: a bind of a host path (a cache directory, a context path, a secret's file
/// on a tmpfs) or a tmpfs. A target missing in the image is made for the step and removed after it (<see cref="MountStubs"/>).
/// </summary>
public sealed record RunStepMount(string Type, string? Source, string Target, bool ReadOnly, long TmpfsSize = 0);
