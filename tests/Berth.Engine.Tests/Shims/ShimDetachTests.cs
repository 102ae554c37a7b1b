using Berth.Engine.Shims;
using Berth.Linux;
using Berth.TestSupport;

namespace Berth.Engine.Tests.Shims;

/// <summary>
/// Live restore's premise: a shim outlives whoever started it, and a new client finds it. The
/// client that starts a shim is its parent (one exec, no launcher) and reaps it, but shares
/// nothing else with it.
/// </summary>
public sealed class ShimDetachTests
{
    [Fact]
    public async Task A_shim_is_the_child_of_its_client_but_in_a_session_of_its_own_holding_none_of_its_files()
    {
        using var sandbox = new ShimSandbox("shim-detach", "sleep", "1000");
        await sandbox.SpawnAsync();

        int shim = Assert.Single(sandbox.ShimProcesses());
        var (parent, session) = ParentAndSession(shim);
        Assert.Equal(Environment.ProcessId, parent);
        Assert.Equal(shim, session);
        Assert.Equal("/", new DirectoryInfo($"/proc/{shim}/cwd").LinkTarget);
        // The readiness pipe is closed: nothing but /dev/null on its stdio.
        foreach (int fd in new[] { 0, 1, 2 })
            Assert.Equal("/dev/null", new FileInfo($"/proc/{shim}/fd/{fd}").LinkTarget);
    }

    [Fact]
    public async Task A_shim_that_has_exited_is_reaped_by_its_client_and_leaves_no_zombie()
    {
        using var sandbox = new ShimSandbox("shim-reaped", "true");
        var shim = await sandbox.SpawnAsync();
        int shimPid = Assert.Single(sandbox.ShimProcesses());
        await shim.StartAsync(CancellationToken.None);
        Assert.Equal(0, (await shim.WaitAsync(CancellationToken.None)).ExitCode);

        // A zombie keeps its /proc entry until its parent reaps it; without a reaper it would stay for good.
        Wait.Until(() => !Directory.Exists($"/proc/{shimPid}"), "the shim's exit reaped", ShimStreams.Bound);
    }

    [Fact]
    public async Task A_shim_survives_the_kill_of_the_process_that_started_it_and_a_new_client_drives_it()
    {
        using var sandbox = new ShimSandbox("shim-orphan", "sh", "-c", "echo after-restart; exit 4");
        string ready = Path.Combine(sandbox.Root, "ready");
        var args = ShimCommandLine.Format(sandbox.Options());
        string script = $"{Quote(ShimSandbox.ShimExecutable)} {string.Join(' ', args.Select(Quote))} >{Quote(ready)}; read x";
        int starter;
        using (var child = ShellChild.Start(script))
        {
            starter = child.Pid;
            for (int i = 0; i < 600 && !(File.Exists(ready) && File.ReadAllText(ready).EndsWith('\n')); i++)
                Thread.Sleep(50);
            Assert.Contains("\"Ready\":true", File.ReadAllText(ready));
            Processes.Kill(starter, Signals.SIGKILL);
            Assert.Equal(Signals.SIGKILL, child.WaitExit(ShimStreams.Bound)!.Value.Signal);
        }

        var shim = ShimClient.TryConnect(sandbox.StateDirectory);
        Assert.NotNull(shim);
        Assert.False(shim.Started);
        await shim.StartAsync(CancellationToken.None);
        var exit = await shim.WaitAsync(CancellationToken.None);

        Assert.Equal(4, exit.ExitCode);
        Assert.Equal([("stdout", "after-restart\n")], sandbox.LogEntries());
    }

    [Fact]
    public async Task A_client_made_anew_from_the_state_directory_attaches_and_waits()
    {
        using var sandbox = new ShimSandbox("shim-reconnect", "sh", "-c", "read line; echo got $line");
        await sandbox.SpawnAsync(stdin: true, stdinOnce: true);

        var shim = ShimClient.TryConnect(sandbox.StateDirectory);
        Assert.NotNull(shim);
        Assert.False(shim.Started);
        using var stream = await shim.AttachAsync(stdin: true, stdout: true, stderr: false, CancellationToken.None);
        int pid = await shim.StartAsync(CancellationToken.None);
        Assert.Equal(pid, shim.Pid);
        await stream.WriteAsync("again\n"u8.ToArray());
        ((ShimStream)stream).CloseWrite();

        Assert.Equal("got again\n", (await ShimStreams.ReadFramesToEndAsync(stream)).Stdout);
        Assert.Equal(0, (await shim.WaitAsync(CancellationToken.None)).ExitCode);
    }

    [Fact]
    public async Task Without_a_shim_or_an_exit_record_wait_fails()
    {
        using var sandbox = new ShimSandbox("shim-lost", "sleep", "1000");
        var shim = await sandbox.SpawnAsync();
        await shim.StartAsync(CancellationToken.None);
        Processes.Kill(Assert.Single(sandbox.ShimProcesses()), Signals.SIGKILL);
        sandbox.WaitUntilShimExited();

        Assert.Null(ShimClient.TryConnect(sandbox.StateDirectory));
        var e = await Assert.ThrowsAsync<ShimException>(() => shim.WaitAsync(CancellationToken.None));
        Assert.Equal(ShimErrorKind.Gone, e.Kind);
        // The container is not the shim's to lose: it is still there.
        Assert.True(Processes.Exists(shim.Pid));
    }

    static (int Parent, int Session) ParentAndSession(int pid)
    {
        string stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // fields[0] is field 3 (state): ppid is field 4, session field 6.
        return (int.Parse(fields[1]), int.Parse(fields[3]));
    }

    static string Quote(string s) => "'" + s.Replace("'", "'\\''") + "'";
}
