using Berth.Linux;
using Berth.Oci.Runtime;

namespace Berth.Runtime.Containers;

/// <summary>`start`: opens the exec fifo, which releases init into execve, then runs the poststart hooks.</summary>
internal static class ContainerStarter
{
    public static void Start(ContainerStore store, string id) => Start(store, id, created: null);

    /// <summary>`run`: the container its create just made, without reading it back.</summary>
    public static void Start(ContainerStore store, Container created) => Start(store, created.Id, created);

    static void Start(ContainerStore store, string id, Container? created)
    {
        Container container;
        using (store.Lock(id))
        {
            container = created ?? Container.Load(store, id);
            switch (container.Status())
            {
                case ContainerStatus.Created:
                    break;
                case ContainerStatus.Stopped:
                    throw RuntimeError.Conflict("cannot start a container that has stopped");
                case ContainerStatus.Paused:
                    throw RuntimeError.Conflict("cannot start a paused container");
                default:
                    throw RuntimeError.Conflict("cannot start an already running container");
            }
            ReleaseInit(container);
        }
        try
        {
            HookRunner.RunAll(container.Spec.Hooks?.Poststart, "poststart", container.HookState(ContainerStatus.Running));
        }
        catch (RuntimeError)
        {
            // runc: a failing poststart hook ends the container.
            using (store.Lock(id))
                container.KillAndWait();
            throw;
        }
    }

    /// <summary>
    /// Opening the fifo releases init (blocked opening its end); it answers with one byte, and its
    /// end closes at execve: end-of-file means the user's program runs.
    /// </summary>
    static void ReleaseInit(Container container)
    {
        using var fifo = Files.Open(container.ExecFifo, OpenFlags.ReadOnly | OpenFlags.NonBlocking);
        Span<byte> buffer = stackalloc byte[16];
        bool released = false;
        while (true)
        {
            Files.WaitReadable(fifo, 100);
            int n;
            try
            {
                n = Files.Read(fifo, buffer);
            }
            catch (LinuxException e) when (e.Errno == Errno.EAGAIN)
            {
                n = -1;
            }
            if (n > 0)
            {
                released = true;
                if (File.Exists(container.ExecFifo))
                    File.Delete(container.ExecFifo);
                continue;
            }
            // 0: no writer. Before init has opened its end that means "not yet"; after its byte, "exec'd".
            if (n == 0 && released)
                return;
            if (!container.InitAlive())
            {
                if (released)
                    return; // it exec'd and already finished
                throw new RuntimeError(ErrorKind.Internal, "cannot start a container: its init process has exited");
            }
            if (n == 0)
                Thread.Sleep(1);
        }
    }
}
