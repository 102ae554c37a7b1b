using System.Diagnostics;
using Berth.TestSupport;

namespace Berth.Compat;

/// <summary>What a removed container must not leave: a mount, a cgroup, a shim, a bundle or a state directory.</summary>
static class EngineLeftovers
{
    public static void AssertNoneOf(BerthDaemon d, IReadOnlyCollection<string> ids)
    {
        string mounts = File.ReadAllText("/proc/self/mountinfo");
        foreach (string id in ids)
        {
            Assert.DoesNotContain(id, mounts);
            Assert.False(Directory.Exists(Path.Combine(d.ExecRoot, "s", id[..16])), $"shim state of {id} is removed");
            Assert.False(Directory.Exists(Path.Combine(d.ExecRoot, "bundles", id)), $"bundle of {id} is removed");
            Assert.False(Directory.Exists(Path.Combine(d.DataRoot, "containers", id)), $"container state of {id} is removed");
            foreach (string hierarchy in new[] { "memory", "pids", "cpu,cpuacct", "unified" })
                Assert.False(Directory.Exists($"/sys/fs/cgroup/{hierarchy}{d.CgroupParent}/{id}"), $"cgroup {hierarchy} of {id} is removed");
        }
        Assert.DoesNotContain(Process.GetProcesses(), p => CommandLine(p.Id).Contains(d.ExecRoot + "/s/", StringComparison.Ordinal));
    }

    static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return "";
        }
    }
}
