using Berth.Engine.Events;
using Berth.Images.Store;

namespace Berth.Engine.Containers;

/// <summary>
/// Containers' lives: create, start, stop, kill, wait, remove, and what happens when one exits
/// (events, auto-remove, restart policies). Each state change holds the container's lock; the
/// process itself runs under its shim, so the engine can go away and come back (<see cref="Restore"/>).
/// </summary>
public sealed partial class ContainerService(EngineOptions options, ImageStore images, ContainerStore store, EventBus events, Networks.NetworkService networks, Action<string> log)
{
    public Networks.NetworkService Networks { get; } = networks;

    public EngineOptions Options { get; } = options;

    public ImageStore Images { get; } = images;

    public ContainerStore Store { get; } = store;

    public EventBus Events { get; } = events;

    string BundleOf(Container c) => Path.Combine(Options.BundlesDirectory, c.Id);

    string ShimStateOf(Container c) => Options.ShimState(c.Id);

    string RootfsOf(Container c) => Path.Combine(BundleOf(c), "rootfs");

    RuntimeDefinition RuntimeOf(string name)
        => Options.Runtimes.TryGetValue(name, out var runtime) ? runtime : throw EngineException.Invalid($"unknown or invalid runtime name: {name}");

    /// <summary>Docker's event attributes of a container: its name, image and labels.</summary>
    public Dictionary<string, string> Attributes(Container c, params (string Key, string Value)[] extra)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in c.Record.Config.Labels ?? [])
            attributes[k] = v;
        attributes["image"] = c.Record.ImageName;
        attributes["name"] = c.Record.PlainName;
        foreach (var (k, v) in extra)
            attributes[k] = v;
        return attributes;
    }

    void Publish(Container c, string action, params (string Key, string Value)[] extra)
        => Events.Publish("container", action, c.Id, Attributes(c, extra));

    void Log(string message) => log(message);
}
