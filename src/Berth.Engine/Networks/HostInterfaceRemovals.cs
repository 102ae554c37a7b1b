using System.Net;

namespace Berth.Engine.Networks;

/// <summary>
/// Deletions of stopped containers' host interfaces, run beside the rest of their teardown instead of before it: the
/// kernel's deletion of a link waits for an RCU barrier (15-40 ms on these machines), the longest step of a container's
/// end. A deletion gives the addresses its interfaces held back to their networks once they are gone: an address comes
/// with its MAC (Docker's 02:42 MACs), which must not meet its old interface on the bridge.
/// </summary>
sealed class HostInterfaceRemovals(Action<string> log)
{
    readonly Lock _lock = new();
    readonly List<Task> _running = [];

    /// <summary>Deletes <paramref name="interfaces"/>, then releases <paramref name="addresses"/>; the task never fails.</summary>
    public Task Start(IReadOnlyList<string> interfaces, IReadOnlyList<(AddressAllocator Allocator, IPAddress Address)> addresses)
    {
        if (interfaces.Count == 0)
        {
            foreach (var (allocator, address) in addresses)
                allocator.Release(address);
            return Task.CompletedTask;
        }
        var removal = Task.Run(() =>
        {
            try
            {
                Sandbox.DeleteHostInterfaces(interfaces);
            }
            catch (Exception e)
            {
                log($"deleting interfaces {string.Join(", ", interfaces)}: {e.Message}");
            }
            finally
            {
                foreach (var (allocator, address) in addresses)
                    allocator.Release(address);
            }
        });
        lock (_lock)
        {
            _running.RemoveAll(t => t.IsCompleted);
            _running.Add(removal);
        }
        return removal;
    }

    /// <summary>Whether a deletion is under way.</summary>
    public bool Running
    {
        get
        {
            lock (_lock)
                return _running.Exists(t => !t.IsCompleted);
        }
    }

    /// <summary>Waits for the deletions under way.</summary>
    public void WaitAll()
    {
        Task[] running;
        lock (_lock)
            running = [.. _running.Where(t => !t.IsCompleted)];
        Task.WaitAll(running);
    }
}
