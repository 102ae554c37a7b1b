using System.Text;
using Berth.Engine.Shims;
using Berth.Linux;

namespace Berth.Engine.Tests.Shims;

/// <summary>exec through the shim: own stdio, stream to the client, exit code in the state directory.</summary>
public sealed class ShimExecTests
{
    [Fact]
    public async Task An_exec_streams_its_output_and_records_its_exit_code()
    {
        using var sandbox = new ShimSandbox("shim-exec", "sleep", "1000");
        var shim = await sandbox.SpawnAsync();
        await shim.StartAsync(CancellationToken.None);
        string process = sandbox.WriteProcessJson("exec", false, "sh", "-c", "echo exec-out; echo exec-err >&2; exit 5");

        var (pid, stream) = await shim.ExecAsync("e1", tty: false, stdin: false, process, CancellationToken.None);
        using (stream)
        {
            Assert.True(pid > 0);
            Assert.NotEqual(shim.Pid, pid);
            var (stdout, stderr) = await ShimStreams.ReadFramesToEndAsync(stream);
            Assert.Equal("exec-out\n", stdout);
            Assert.Equal("exec-err\n", stderr);
        }

        Assert.Equal(5, ShimClient.ReadExecExitCode(sandbox.StateDirectory, "e1"));
        // Not in the container's log: Docker logs only the container's own output.
        Assert.Empty(sandbox.LogEntries());
        await shim.KillAsync(Signals.SIGKILL, all: false, CancellationToken.None);
        await shim.WaitAsync(CancellationToken.None);
    }

    [Fact]
    public async Task An_exec_reads_its_stdin_until_the_client_ends_it()
    {
        using var sandbox = new ShimSandbox("shim-execin", "sleep", "1000");
        var shim = await sandbox.SpawnAsync();
        await shim.StartAsync(CancellationToken.None);
        string process = sandbox.WriteProcessJson("exec", false, "sh", "-c", "cat; echo end");

        var (_, stream) = await shim.ExecAsync("e2", tty: false, stdin: true, process, CancellationToken.None);
        using (stream)
        {
            await stream.WriteAsync("piped\n"u8.ToArray());
            ((ShimStream)stream).CloseWrite();
            var (stdout, _) = await ShimStreams.ReadFramesToEndAsync(stream);
            Assert.Equal("piped\nend\n", stdout);
        }
        Assert.Equal(0, ShimClient.ReadExecExitCode(sandbox.StateDirectory, "e2"));
        await shim.KillAsync(Signals.SIGKILL, all: false, CancellationToken.None);
        await shim.WaitAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_tty_exec_streams_raw_and_can_be_resized()
    {
        using var sandbox = new ShimSandbox("shim-exectty", "sleep", "1000");
        var shim = await sandbox.SpawnAsync();
        await shim.StartAsync(CancellationToken.None);
        string process = sandbox.WriteProcessJson("exec", true, "sh", "-c", "read go; stty size; exit 7");

        var (_, stream) = await shim.ExecAsync("e3", tty: true, stdin: true, process, CancellationToken.None);
        using (stream)
        {
            await shim.ExecResizeAsync("e3", 40, 120, CancellationToken.None);
            await stream.WriteAsync("\n"u8.ToArray());
            string output = Encoding.UTF8.GetString(await ShimStreams.ReadRawToEndAsync(stream));
            Assert.Contains("40 120\r\n", output);
        }
        Assert.Equal(7, ShimClient.ReadExecExitCode(sandbox.StateDirectory, "e3"));
        await shim.KillAsync(Signals.SIGKILL, all: false, CancellationToken.None);
        await shim.WaitAsync(CancellationToken.None);
    }

    [Fact]
    public async Task An_exec_of_a_missing_program_fails_with_the_runtimes_message()
    {
        using var sandbox = new ShimSandbox("shim-execbad", "sleep", "1000");
        var shim = await sandbox.SpawnAsync();
        await shim.StartAsync(CancellationToken.None);
        string process = sandbox.WriteProcessJson("exec", false, "/no/such/tool");

        var e = await Assert.ThrowsAsync<ShimException>(() => shim.ExecAsync("e4", tty: false, stdin: false, process, CancellationToken.None));

        Assert.Equal(ShimErrorKind.Runtime, e.Kind);
        Assert.Contains("/no/such/tool", e.Message);
        Assert.Null(ShimClient.ReadExecExitCode(sandbox.StateDirectory, "e4"));
        await shim.KillAsync(Signals.SIGKILL, all: false, CancellationToken.None);
        await shim.WaitAsync(CancellationToken.None);
    }
}
