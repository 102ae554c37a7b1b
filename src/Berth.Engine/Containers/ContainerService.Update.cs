using Berth.Engine.Model;
using Berth.Engine.Runtimes;
using Berth.Oci;

namespace Berth.Engine.Containers;

public sealed partial class ContainerService
{
    CgroupSupport? _cgroupSupport;

    CgroupSupport CgroupSupport => _cgroupSupport ??= CgroupSupport.Detect(CgroupLayout);

    /// <summary>
    /// <c>docker update</c>: checks the new limits and restart policy as dockerd does, applies the limits to a running
    /// (or paused) container through its runtime's <c>update</c>, and keeps them in its host config, so that inspect
    /// shows them and the next start uses them; a stopped container only keeps them. A refused update changes nothing.
    /// </summary>
    /// <returns>Docker's warnings (limits this machine cannot apply, which are left out), null when there are none.</returns>
    public async Task<List<string>?> UpdateAsync(Container container, ContainerUpdateRequest update, CancellationToken ct = default)
    {
        ResourceRules.ValidateRestartPolicy(update.RestartPolicy);
        var warnings = ResourceRules.Verify(update, update: true, CgroupSupport);
        await container.Lock.WaitAsync(ct);
        try
        {
            var record = container.Record;
            if (record.State.Status is ContainerStatus.Removing or ContainerStatus.Dead)
                throw CannotUpdate(container, EngineException.Conflict("container is marked for removal and cannot be \"update\""));
            HostConfig updated;
            try
            {
                updated = ResourceUpdate.Apply(record.HostConfig, update);
            }
            catch (EngineException e)
            {
                throw CannotUpdate(container, e);
            }
            // Not cancelled once begun: the cgroup and the saved host config must not disagree.
            if (record.State.Status is ContainerStatus.Running or ContainerStatus.Paused)
                await UpdateRuntimeAsync(container, update);
            record.HostConfig = updated;
            Store.Save(container);
        }
        finally
        {
            container.Lock.Release();
        }
        Publish(container, "update");
        return warnings;
    }

    /// <summary>The runtime's <c>update -r</c> with the update's own values (it merges them into the container's).</summary>
    async Task UpdateRuntimeAsync(Container container, ContainerUpdateRequest update)
    {
        var runtime = RuntimeOf(container.Record.Runtime);
        string file = Path.Combine(BundleOf(container), "update.json");
        await File.WriteAllBytesAsync(file, OciJson.WriteCompact(ResourceUpdate.ToOci(update)));
        try
        {
            await RuntimeCommand.RunAsync(runtime, Options.RuntimeRoot(runtime.Name), ["update", "--resources", file, container.Id]);
        }
        catch (EngineException e)
        {
            throw CannotUpdate(container, e);
        }
        finally
        {
            File.Delete(file);
        }
    }

    static EngineException CannotUpdate(Container container, EngineException e)
        => new(e.Kind, $"Cannot update container {container.Id}: {e.Message}", e);
}
