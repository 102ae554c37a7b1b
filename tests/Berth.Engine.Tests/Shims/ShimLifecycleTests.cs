using Berth.Engine.Shims;
using Berth.Linux;
using Berth.TestSupport;

namespace Berth.Engine.Tests.Shims;

/// <summary>berth-shim starting, killing and recording a container run by berth-runtime.</summary>
public sealed class ShimLifecycleTests
{
    [Fact]
    public async Task A_run_is_logged_by_stream_and_its_exit_recorded_after_the_runtime_forgot_it()
    {
        using var sandbox = new ShimSandbox("shim-exit", "sh", "-c", "echo out; echo err >&2; exit 3");
        var shim = await sandbox.SpawnAsync();
        // Serving, with nothing of the runtime yet.
        Assert.Equal(0, shim.Pid);
        Assert.False(sandbox.RuntimeKnowsContainer);
        Assert.True(File.Exists(Path.Combine(sandbox.StateDirectory, ShimProtocol.SocketName)));

        int pid = await shim.StartAsync(CancellationToken.None);
        Assert.True(pid > 0);
        Assert.Equal(pid, shim.Pid);
        var exit = await shim.WaitAsync(CancellationToken.None);

        Assert.Equal(3, exit.ExitCode);
        Assert.False(exit.OomKilled);
        Assert.Equal([("stderr", "err\n"), ("stdout", "out\n")], sandbox.LogEntries().Order());
        Assert.Equal(exit, ShimClient.ReadExit(sandbox.StateDirectory));
        Assert.False(sandbox.RuntimeKnowsContainer);
        sandbox.WaitUntilShimExited();
        Assert.False(File.Exists(Path.Combine(sandbox.StateDirectory, ShimProtocol.SocketName)));
        // The shim is gone: a later wait reads what it recorded.
        Assert.Equal(exit, await shim.WaitAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Kill_ends_the_container_and_wait_reports_the_signal()
    {
        using var sandbox = new ShimSandbox("shim-kill", "sleep", "1000");
        var shim = await sandbox.SpawnAsync();
        await shim.StartAsync(CancellationToken.None);
        Assert.Contains("sleep", File.ReadAllText($"/proc/{shim.Pid}/cmdline"));

        await shim.KillAsync(Signals.SIGKILL, all: false, CancellationToken.None);
        var exit = await shim.WaitAsync(CancellationToken.None);

        Assert.Equal(128 + Signals.SIGKILL, exit.ExitCode);
        sandbox.WaitUntilShimExited();
        Assert.False(Processes.Exists(shim.Pid) && !Processes.IsDeadOrZombie(shim.Pid));
    }

    [Fact]
    public async Task A_refused_start_throws_the_runtimes_message_and_leaves_nothing_behind()
    {
        using var sandbox = new ShimSandbox("shim-bad", "/no/such/program");
        var shim = await sandbox.SpawnAsync();
        using var attached = await shim.AttachAsync(stdin: true, stdout: true, stderr: true, CancellationToken.None);
        var e = await Assert.ThrowsAsync<ShimException>(() => shim.StartAsync(CancellationToken.None));

        Assert.Equal(ShimErrorKind.Runtime, e.Kind);
        Assert.Contains("/no/such/program", e.Message);
        Assert.False(File.Exists(Path.Combine(sandbox.StateDirectory, ShimProtocol.SocketName)));
        Assert.False(File.Exists(Path.Combine(sandbox.StateDirectory, ShimProtocol.ConsoleSocketName)));
        Assert.False(sandbox.RuntimeKnowsContainer);
        Assert.False(File.Exists(ShimProtocol.ExitFile(sandbox.StateDirectory)), "a container that never ran has no exit");
        // The attacher is let go.
        Assert.Equal(("", ""), await ShimStreams.ReadFramesToEndAsync(attached));
        sandbox.WaitUntilShimExited();
        Assert.Null(ShimClient.TryConnect(sandbox.StateDirectory));
        Assert.Empty(Leftovers.CgroupDirectories(sandbox.Cgroup));
    }

    [Fact]
    public async Task Output_nobody_attaches_to_is_logged_without_holding_the_container_back()
    {
        // 2.2 MB, many times a pipe's buffer: the container only finishes if the shim keeps reading.
        using var sandbox = new ShimSandbox("shim-flood", "sh", "-c", "yes 0123456789 | head -n 200000; echo done");
        var shim = await sandbox.SpawnAsync();
        await shim.StartAsync(CancellationToken.None);

        var exit = await shim.WaitAsync(CancellationToken.None);

        Assert.Equal(0, exit.ExitCode);
        var entries = sandbox.LogEntries();
        Assert.Equal(200001, entries.Count);
        Assert.All(entries.Take(200000), e => Assert.Equal(("stdout", "0123456789\n"), e));
        Assert.Equal(("stdout", "done\n"), entries[^1]);
    }

    [Fact]
    public async Task Without_its_own_pid_namespace_a_containers_leftovers_are_killed_so_its_output_ends()
    {
        // The background sleep holds stdout open after the shell (the init) has exited.
        using var sandbox = new ShimSandbox("shim-hostpid", "sh", "-c", "sleep 1000 & echo left $!; exit 2");
        sandbox.Bundle.Configure(spec => spec.Linux!.Namespaces!.RemoveAll(n => n.Type == "pid"));
        var shim = await sandbox.SpawnAsync();
        await shim.StartAsync(CancellationToken.None);

        var exit = await shim.WaitAsync(CancellationToken.None);

        Assert.Equal(2, exit.ExitCode);
        var (_, log) = Assert.Single(sandbox.LogEntries());
        int leftover = int.Parse(log["left ".Length..].Trim());
        Assert.True(!Processes.Exists(leftover) || Processes.IsDeadOrZombie(leftover));
    }

    [Fact]
    public async Task An_oom_kill_in_the_containers_memory_cgroup_is_reported()
    {
        // A shell variable growing far past a 16 MiB limit (no swap on the test machines): the kernel kills the shell.
        using var sandbox = new ShimSandbox("shim-oom", "sh", "-c", "x=$(head -c 200000000 /dev/zero | tr '\\0' a); echo survived");
        sandbox.Bundle.Configure(spec =>
        {
            spec.Linux!.Resources ??= new Berth.Oci.Runtime.LinuxResources();
            spec.Linux.Resources.Memory = new Berth.Oci.Runtime.LinuxMemory { Limit = 16 * 1024 * 1024, Swap = 16 * 1024 * 1024 };
        });
        var shim = await sandbox.SpawnAsync();
        await shim.StartAsync(CancellationToken.None);

        var exit = await shim.WaitAsync(CancellationToken.None);

        Assert.True(exit.OomKilled, $"exit {exit.ExitCode}, log: {string.Join("", sandbox.LogEntries())}");
        Assert.Equal(128 + Signals.SIGKILL, exit.ExitCode);
    }

    [Fact]
    public async Task State_tells_waiting_running_and_the_pid()
    {
        using var sandbox = new ShimSandbox("shim-state", "sleep", "1000");
        var shim = await sandbox.SpawnAsync();
        var waiting = ShimClient.TryConnect(sandbox.StateDirectory);
        Assert.NotNull(waiting);
        Assert.False(waiting.Started);
        Assert.Equal(0, waiting.Pid);

        int pid = await shim.StartAsync(CancellationToken.None);
        var running = ShimClient.TryConnect(sandbox.StateDirectory);
        Assert.NotNull(running);
        Assert.True(running.Started);
        Assert.Equal(pid, running.Pid);
        Assert.Equal(pid, int.Parse(File.ReadAllText(Path.Combine(sandbox.StateDirectory, ShimProtocol.InitPidFileName)).Trim()));
        var error = await Assert.ThrowsAsync<ShimException>(() => shim.StartAsync(CancellationToken.None));
        Assert.Equal(ShimErrorKind.Runtime, error.Kind);

        await shim.KillAsync(Signals.SIGKILL, all: true, CancellationToken.None);
        Assert.Equal(137, (await shim.WaitAsync(CancellationToken.None)).ExitCode);
    }
}
