using Berth.Oci.Runtime;
using Berth.Runtime.Cli;

namespace Berth.Runtime.Containers;

/// <summary>`delete`: a stopped or created container goes at once; a running or paused one only with --force.</summary>
internal static class ContainerDeleter
{
    public static void Delete(ContainerStore store, string id, bool force)
    {
        ContainerStore.ValidateId(id);
        if (!store.Exists(id))
        {
            if (force)
            {
                // A crash between Reserve and Save leaves a directory without state: clean it too.
                store.Remove(id);
                return;
            }
            throw RuntimeError.ContainerNotFound(id);
        }
        Container container;
        IReadOnlyList<Oci.Runtime.Hook>? poststop;
        using (store.Lock(id))
        {
            container = Container.Load(store, id);
            // Read before the state directory (which keeps the config) is removed.
            poststop = container.Spec.Hooks?.Poststop;
            string status = container.Status();
            switch (status)
            {
                case ContainerStatus.Stopped:
                    break;
                case ContainerStatus.Created:
                    container.KillAndWait();
                    break;
                default:
                    if (!force)
                        throw RuntimeError.Conflict($"cannot delete container {id} that is not stopped: {status}");
                    container.KillAndWait();
                    break;
            }
            container.Destroy();
        }
        foreach (var error in HookRunner.RunAllReportingErrors(poststop, "poststop", container.HookState(ContainerStatus.Stopped)))
            RuntimeLog.Warn(error);
    }
}
