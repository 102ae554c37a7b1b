using Berth.Engine.Shims;
using Berth.TestSupport;

namespace Berth.Engine.Tests.Shims;

/// <summary>runc standing in for berth-runtime under the shim, as Docker's --runtime allows: same command line, same results.</summary>
public sealed class ShimRuncTests
{
    static string Runc => HostTools.Require("runc", "runc");

    [Fact]
    public async Task Under_runc_a_run_is_logged_exec_works_and_the_exit_is_recorded()
    {
        using var sandbox = ShimSandbox.WithRuntime(Runc, "shim-runc", "sh", "-c", "echo out; echo err >&2; read x; exit 3");
        var shim = await sandbox.SpawnAsync(stdin: true, stdinOnce: true);
        using var stream = await shim.AttachAsync(stdin: true, stdout: true, stderr: true, CancellationToken.None);
        await shim.StartAsync(CancellationToken.None);

        string process = sandbox.WriteProcessJson("exec", false, "sh", "-c", "echo from-exec; exit 8");
        var (_, exec) = await shim.ExecAsync("r1", tty: false, stdin: false, process, CancellationToken.None);
        using (exec)
            Assert.Equal("from-exec\n", (await ShimStreams.ReadFramesToEndAsync(exec)).Stdout);
        Assert.Equal(8, ShimClient.ReadExecExitCode(sandbox.StateDirectory, "r1"));

        ((ShimStream)stream).CloseWrite();
        var (stdout, stderr) = await ShimStreams.ReadFramesToEndAsync(stream);
        var exit = await shim.WaitAsync(CancellationToken.None);

        Assert.Equal(("out\n", "err\n"), (stdout, stderr));
        Assert.Equal(3, exit.ExitCode);
        Assert.Equal([("stderr", "err\n"), ("stdout", "out\n")], sandbox.LogEntries().Order());
        Assert.False(sandbox.RuntimeKnowsContainer);
    }

    [Fact]
    public async Task Under_runc_a_refused_start_gives_runcs_message()
    {
        using var sandbox = ShimSandbox.WithRuntime(Runc, "shim-runcbad", "/no/such/program");
        var shim = await sandbox.SpawnAsync();
        var e = await Assert.ThrowsAsync<ShimException>(() => shim.StartAsync(CancellationToken.None));
        Assert.Contains("/no/such/program", e.Message);
        // runc's own words for a refused create ("runc create failed: ..."), whatever command the shim ran.
        Assert.DoesNotContain("run failed", e.Message);
        Assert.False(sandbox.RuntimeKnowsContainer);
        sandbox.WaitUntilShimExited();
    }

    [Fact]
    public async Task Under_runc_a_tty_container_started_in_one_exec_gets_its_terminal_and_its_output_is_kept()
    {
        using var sandbox = ShimSandbox.WithRuntime(Runc, "shim-runcrun", "tty");
        sandbox.Bundle.Configure(spec => spec.Process!.Terminal = true);
        var shim = await sandbox.SpawnAsync(tty: true);
        using var stream = await shim.AttachAsync(stdin: false, stdout: true, stderr: true, CancellationToken.None);
        await shim.StartAsync(CancellationToken.None);

        string output = System.Text.Encoding.UTF8.GetString(await ShimStreams.ReadRawToEndAsync(stream));

        Assert.StartsWith("/dev/pts/", output);
        Assert.Equal(0, (await shim.WaitAsync(CancellationToken.None)).ExitCode);
    }

    [Fact]
    public async Task Under_runc_a_tty_container_gets_its_terminal()
    {
        using var sandbox = ShimSandbox.WithRuntime(Runc, "shim-runctty", "sh", "-c", "tty; stty size");
        sandbox.Bundle.Configure(spec => spec.Process!.Terminal = true);
        var shim = await sandbox.SpawnAsync(tty: true);
        using var stream = await shim.AttachAsync(stdin: false, stdout: true, stderr: true, CancellationToken.None);
        await shim.ResizeAsync(12, 34, CancellationToken.None);
        await shim.StartAsync(CancellationToken.None);

        string output = System.Text.Encoding.UTF8.GetString(await ShimStreams.ReadRawToEndAsync(stream));

        Assert.Contains("/dev/pts/", output);
        Assert.Contains("12 34\r\n", output);
        Assert.Equal(0, (await shim.WaitAsync(CancellationToken.None)).ExitCode);
    }
}
