using Berth.Linux;
using Berth.Oci.Runtime;
using Berth.Runtime.Cli;

namespace Berth.Runtime.Containers;

/// <summary>`delete`: a stopped or created container goes at once; a running or paused one only with --force.</summary>
internal static class ContainerDeleter
{
    public static void Delete(ContainerStore store, string id, bool force)
    {
        ContainerStore.ValidateId(id);
        FileLock held;
        try
        {
            held = store.Lock(id);
        }
        catch (RuntimeError e) when (e.Kind == ErrorKind.NotFound && force)
        {
            return; // already gone (a concurrent delete, or never there): --force asks no more
        }
        Container container;
        IReadOnlyList<Oci.Runtime.Hook>? poststop;
        using (held)
        {
            if (!store.Exists(id))
            {
                // Locked but without state: a create that crashed (kill -9) half-way. --force cleans it.
                if (!force)
                    throw RuntimeError.ContainerNotFound(id);
                store.Remove(id);
                return;
            }
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
