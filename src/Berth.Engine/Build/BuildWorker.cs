using System.Text;
using Berth.Build.Executor;
using Berth.Distribution.Client;
using Berth.Engine.Containers;
using Berth.Engine.Model;
using Berth.Engine.Streams;
using Berth.Images.References;
using Berth.Images.Store;

namespace Berth.Engine.Build;

/// <summary>
/// The engine's side of a build: FROM images from the store or pulled, RUN steps as containers (created,
/// attached, started, waited for, committed and removed, as Docker's legacy builder does). Pulls sign in with the
/// build's credentials (X-Registry-Config), the entry of each image's registry.
/// </summary>
internal sealed class BuildWorker(ContainerService containers, Registry.RegistryService registries, IReadOnlyDictionary<string, RegistryCredentials> credentials) : IBuildWorker
{
    public async Task<Image> GetImageAsync(string reference, bool pull, string? platform, IBuildOutput output, CancellationToken ct)
    {
        if (!pull && containers.Images.TryGet(reference) is { } image)
            return image;
        if (!Reference.TryParseNormalized(reference, out var name, out string? error))
            throw new BuildException(error ?? $"invalid reference format: {reference}");
        name = name.WithDefaultTag();
        try
        {
            var pending = new List<string>();
            var result = await registries.PullAsync(name, platform, AuthConfigs.Find(credentials, name.Domain), message =>
            {
                if (!message.Detail)
                    pending.Add(message.Id is null ? message.Status + "\n" : $"{message.Id}: {message.Status}\n");
            }, ct);
            foreach (string line in pending)
                await output.WriteAsync(line, ct);
            return containers.Images.Get(name.ToString());
        }
        catch (EngineException e)
        {
            throw new BuildException(e.Message, inner: e);
        }
    }

    public async Task<Image> RunAsync(RunStep step, IBuildOutput output, CancellationToken ct)
    {
        var c = step.Container;
        var request = new ContainerCreateRequest
        {
            Image = step.Image.Id.ToString(),
            Cmd = [.. step.Command],
            Entrypoint = [],
            Env = WithSecrets(c.Env ?? [], step.SecretEnv),
            User = c.User ?? "",
            WorkingDir = c.WorkingDir ?? "",
            AttachStdout = true,
            AttachStderr = true,
            HostConfig = new HostConfig
            {
                NetworkMode = NetworkMode(step.Network),
                LogConfig = new LogConfig { Type = "none" },
                Mounts = step.Mounts.Count == 0 ? null : [.. step.Mounts.Select(m => new ContainerMount
                {
                    Type = m.Type,
                    Source = m.Source,
                    Target = m.Target,
                    ReadOnly = m.ReadOnly,
                    TmpfsOptions = m.TmpfsSize > 0 ? new TmpfsOptions { SizeBytes = m.TmpfsSize } : null,
                })],
            },
        };
        var (container, _) = containers.Create(request, null);
        try
        {
            var stubs = MountStubsOf(container, step.Mounts);
            await output.WriteAsync($" ---> Running in {container.Id[..12]}\n", ct);
            var attach = new PendingAttach(false, true, true);
            lock (container.PendingAttaches)
                container.PendingAttaches.Add(attach);
            await containers.StartAsync(container, ct);
            await using (var stream = await attach.Stream.Task.WaitAsync(ct))
                await CopyOutputAsync(stream, output, ct);
            int code = await containers.WaitAsync(container, WaitCondition.NotRunning, ct);
            if (code != 0)
                throw new BuildException($"The command '{string.Join(' ', step.Command)}' returned a non-zero code: {code}", code);
            // The stopped container's root is unmounted: its own layer is all that the step changed.
            MountStubs.Remove(containers.Images.Snapshotter.LayerDirectory(container.Id).Path, stubs);
            return containers.Images.Commit(container.Id, step.Image, step.Commit);
        }
        finally
        {
            await output.WriteAsync($"Removing intermediate container {container.Id[..12]}\n", CancellationToken.None);
            await containers.RemoveAsync(container, force: true, removeVolumes: true, CancellationToken.None);
        }
    }

    /// <summary>The mount points the runtime will make for the step's mounts, found in the created container's root before it starts.</summary>
    List<string> MountStubsOf(Container container, IReadOnlyList<RunStepMount> mounts)
    {
        if (mounts.Count == 0)
            return [];
        using var root = containers.Images.MountSnapshot(container.Id);
        return MountStubs.Find(root.Path, mounts.Select(m => m.Target));
    }

    /// <summary>The step's environment with the secrets asked for as variables, each replacing a variable of its name.</summary>
    static List<string> WithSecrets(IReadOnlyList<string> env, IReadOnlyList<string> secrets)
    {
        if (secrets.Count == 0)
            return [.. env];
        static string Name(string entry) => entry.IndexOf('=') is var eq and >= 0 ? entry[..eq] : entry;
        var names = secrets.Select(Name).ToHashSet(StringComparer.Ordinal);
        return [.. env.Where(e => !names.Contains(Name(e))), .. secrets];
    }

    /// <summary>Docker's builder maps "default" to the daemon's default network (bridge).</summary>
    static string NetworkMode(string? network) => network switch
    {
        null or "" or "default" => "bridge",
        var other => other,
    };

    /// <summary>The container's stdout and stderr, demultiplexed, into the build's output as they come.</summary>
    static async Task CopyOutputAsync(Stream stream, IBuildOutput output, CancellationToken ct)
    {
        var reader = new MultiplexedStreamReader(stream);
        byte[] buffer = new byte[16 * 1024];
        while (await reader.ReadHeaderAsync(ct) is not null)
        {
            int n;
            while ((n = await reader.ReadPayloadAsync(buffer, ct)) > 0)
                await output.WriteAsync(buffer.AsMemory(0, n), ct);
        }
    }
}
