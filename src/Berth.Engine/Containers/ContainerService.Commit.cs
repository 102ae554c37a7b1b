using Berth.Build.Dockerfile;
using Berth.Engine.Health;
using Berth.Engine.Model;
using Berth.Images.References;
using Berth.Images.Store;
using Berth.Oci.Image;

namespace Berth.Engine.Containers;

public sealed partial class ContainerService
{
    /// <summary>
    /// <c>docker commit</c>: the container's changes as a new image on its image, with the container's
    /// config (or the one given) and the changes applied; paused while its layer is read.
    /// </summary>
    public Image Commit(Container container, ContainerConfig? config, string? repo, string? tag, string? comment, string? author, IReadOnlyList<string> changes, bool pause)
    {
        var names = new List<Reference>();
        if (!string.IsNullOrEmpty(repo))
        {
            string text = string.IsNullOrEmpty(tag) ? repo : repo + ":" + tag;
            if (!Reference.TryParseNormalized(text, out var reference, out string? error))
                throw EngineException.Invalid(error ?? $"invalid reference format: {text}");
            names.Add(reference.WithDefaultTag());
        }
        var record = container.Record;
        var source = config is { Cmd: not null } or { Entrypoint: not null } or { Env: not null } ? config : record.Config;
        var parent = Images.TryGet(record.ImageId);
        bool paused = pause && record.State.Status == ContainerStatus.Running;
        var image = Images.Commit(container.Id, parent, new CommitOptions
        {
            Config = ConfigChanges.Apply(ToExecutionConfig(source), changes),
            Author = author,
            Comment = comment,
            CreatedBy = string.Join(' ', new[] { record.Path }.Concat(record.Args)),
            Names = names,
            Pause = paused ? () => new PauseScope(this, container) : null,
        });
        Publish(container, "commit", ("comment", comment ?? ""), ("imageID", image.Id.ToString()), ("imageRef", names.FirstOrDefault()?.FamiliarString ?? ""));
        return image;
    }

    static ExecutionConfig ToExecutionConfig(ContainerConfig c) => new()
    {
        User = string.IsNullOrEmpty(c.User) ? null : c.User,
        ExposedPorts = c.ExposedPorts is { Count: > 0 } ports ? new HashSet<string>(ports.Keys) : null,
        Env = c.Env is null ? null : [.. c.Env],
        Entrypoint = c.Entrypoint is null ? null : [.. c.Entrypoint],
        Cmd = c.Cmd is null ? null : [.. c.Cmd],
        Volumes = c.Volumes is { Count: > 0 } volumes ? new HashSet<string>(volumes.Keys) : null,
        WorkingDir = string.IsNullOrEmpty(c.WorkingDir) ? null : c.WorkingDir,
        Labels = c.Labels is { Count: > 0 } labels ? new Dictionary<string, string>(labels) : null,
        StopSignal = string.IsNullOrEmpty(c.StopSignal) ? null : c.StopSignal,
        OnBuild = c.OnBuild is null ? null : [.. c.OnBuild],
        Shell = c.Shell is null ? null : [.. c.Shell],
        Healthcheck = HealthConfigCopy.ToImage(c.Healthcheck),
    };

    /// <summary>Pauses a container for the time of a commit's read.</summary>
    sealed class PauseScope : IDisposable
    {
        readonly ContainerService _service;
        readonly Container _container;

        public PauseScope(ContainerService service, Container container)
        {
            _service = service;
            _container = container;
            service.PauseAsync(container).GetAwaiter().GetResult();
        }

        public void Dispose() => _service.UnpauseAsync(_container).GetAwaiter().GetResult();
    }
}
