using Berth.Linux;

namespace Berth.Engine.Tests.Shims;

/// <summary>berthd's reaper of its shims: children it started are reaped on SIGCHLD, nobody else's are.</summary>
public sealed class ChildReaperTests
{
    [Fact]
    public async Task Its_children_are_reaped_with_their_status_and_a_child_waited_for_by_pid_keeps_its_own()
    {
        int other = Processes.Spawn(new SpawnOptions { Path = "/bin/sh", Args = ["sh", "-c", "exit 3"] });
        try
        {
            var children = Enumerable.Range(0, 4)
                .Select(i => ChildReaper.Spawn(new SpawnOptions { Path = "/bin/sh", Args = ["sh", "-c", $"exit {10 + i}"] }))
                .ToList();

            for (int i = 0; i < children.Count; i++)
            {
                var status = await children[i].Exited.WaitAsync(ShimStreams.Bound);
                Assert.Equal(10 + i, status?.Code);
                Assert.False(Directory.Exists($"/proc/{children[i].Pid}"), "reaped, not left a zombie");
            }
            // The other child ended among them, and its status is still there for its own waiter.
            Assert.Equal(3, Processes.Wait(other)?.Code);
        }
        finally
        {
            Processes.TryKill(other, Signals.SIGKILL);
            Processes.TryReap(other);
        }
    }
}
