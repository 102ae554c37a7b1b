using Berth.TestSupport;

namespace Berth.Compat;

/// <summary>
/// berthd starts each shim with one exec, so the shim is berthd's child (in a session of its own,
/// which live restore needs), and berthd reaps it: containers that come and go leave no zombie.
/// </summary>
public sealed class ShimParentTests(BerthdFixture fixture) : IClassFixture<BerthdFixture>
{
    readonly BerthDaemon _d = fixture.Daemon;
    const string Image = BerthDaemon.Image;

    [Fact]
    public void A_running_container_s_shim_is_a_child_of_berthd_in_a_session_of_its_own()
    {
        string id = _d.Cli("run", "-d", "--network", "none", Image, "sleep", "1000").EnsureSuccess("docker run -d").Stdout.Trim();
        try
        {
            var shim = Assert.Single(Children(_d.Pid), p => p.Command == "berth-shim" && CommandLine(p.Pid).Contains(id, StringComparison.Ordinal));
            Assert.Equal(shim.Pid, shim.Session);
        }
        finally
        {
            _d.Cli("rm", "-f", id);
        }
    }

    [Fact]
    public async Task Containers_run_with_rm_one_after_another_and_at_once_leave_no_zombie_under_berthd()
    {
        for (int i = 0; i < 3; i++)
            _d.Cli("run", "--rm", "--network", "none", Image, "true").EnsureSuccess("docker run --rm");
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
            _d.Cli("run", "--rm", "--network", "none", Image, "true").EnsureSuccess("docker run --rm"))));

        // Each shim exits just after its container is removed, and is reaped a moment later.
        Wait.Until(() => !Children(_d.Pid).Any(p => p.Command == "berth-shim" || p.State == 'Z'), "berthd's shims gone and reaped");
    }

    readonly record struct ProcessStat(int Pid, string Command, char State, int Parent, int Session);

    /// <summary>berthd's children as /proc/PID/stat describes them (a zombie included).</summary>
    static List<ProcessStat> Children(int parent)
    {
        var children = new List<ProcessStat>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid))
                continue;
            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(dir, "stat"));
            }
            catch (IOException)
            {
                continue;
            }
            // The command name in parentheses may hold spaces: fields are counted after the last ')'.
            int open = stat.IndexOf('('), close = stat.LastIndexOf(')');
            var fields = stat[(close + 2)..].Split(' ');
            // fields[0] is field 3 (state): ppid is field 4, session field 6.
            var process = new ProcessStat(pid, stat[(open + 1)..close], fields[0][0], int.Parse(fields[1]), int.Parse(fields[3]));
            if (process.Parent == parent)
                children.Add(process);
        }
        return children;
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
