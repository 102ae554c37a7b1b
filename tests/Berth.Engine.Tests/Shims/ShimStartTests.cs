using System.Text;
using Berth.Engine.Shims;
using Berth.Linux;
using Berth.TestSupport;

namespace Berth.Engine.Tests.Shims;

/// <summary>
/// The start: the shim serves before the container exists, and creates and starts it in one
/// runtime exec when told to; whatever came before (attachers, their stdin, a kill) is served as
/// for a created container.
/// </summary>
public sealed class ShimStartTests
{
    [Fact]
    public async Task The_runtime_runs_once_for_create_and_start_and_the_first_output_reaches_an_attacher()
    {
        using var runtime = new CountingRuntime();
        using var sandbox = ShimSandbox.WithRuntime(runtime.Path, "shim-once", "echo", "hi");
        var shim = await sandbox.SpawnAsync();
        using var attached = await shim.AttachAsync(stdin: false, stdout: true, stderr: true, CancellationToken.None);
        Assert.Empty(runtime.Commands());

        await shim.StartAsync(CancellationToken.None);
        var (stdout, stderr) = await ShimStreams.ReadFramesToEndAsync(attached);
        Assert.Equal(0, (await shim.WaitAsync(CancellationToken.None)).ExitCode);

        Assert.Equal(("hi\n", ""), (stdout, stderr));
        Assert.Equal(["run", "delete"], runtime.Commands().Select(c => c[0]));
        Assert.Equal("--detach", runtime.Commands()[0][1]);
    }

    [Fact]
    public async Task A_terminal_container_s_first_output_reaches_an_attacher_connected_before_start()
    {
        // The process may be gone before the shim has the terminal's master: what it wrote waits in the terminal.
        using var sandbox = new ShimSandbox("shim-ttyfirst", "echo", "hi");
        sandbox.Bundle.Configure(spec => spec.Process!.Terminal = true);
        var shim = await sandbox.SpawnAsync(tty: true);
        using var attached = await shim.AttachAsync(stdin: false, stdout: true, stderr: true, CancellationToken.None);

        await shim.StartAsync(CancellationToken.None);

        Assert.Equal("hi\r\n", Encoding.UTF8.GetString(await ShimStreams.ReadRawToEndAsync(attached)));
        Assert.Equal(0, (await shim.WaitAsync(CancellationToken.None)).ExitCode);
    }

    [Fact]
    public async Task Stdin_written_before_the_start_reaches_the_container()
    {
        using var sandbox = new ShimSandbox("shim-earlyin", "cat");
        var shim = await sandbox.SpawnAsync(stdin: true, stdinOnce: true);
        using var stream = await shim.AttachAsync(stdin: true, stdout: true, stderr: true, CancellationToken.None);
        await stream.WriteAsync("early\n"u8.ToArray());
        ((ShimStream)stream).CloseWrite();

        await shim.StartAsync(CancellationToken.None);

        Assert.Equal(("early\n", ""), await ShimStreams.ReadFramesToEndAsync(stream));
        Assert.Equal(0, (await shim.WaitAsync(CancellationToken.None)).ExitCode);
    }

    [Fact]
    public async Task Exec_before_the_start_is_refused_as_for_a_created_container()
    {
        using var sandbox = new ShimSandbox("shim-earlyexec", "sleep", "1000");
        var shim = await sandbox.SpawnAsync();
        string process = sandbox.WriteProcessJson("exec", false, "true");

        var e = await Assert.ThrowsAsync<ShimException>(() => shim.ExecAsync("x1", tty: false, stdin: false, process, CancellationToken.None));

        Assert.Equal(ShimErrorKind.Runtime, e.Kind);
        Assert.Contains("not running", e.Message);
        await shim.KillAsync(Signals.SIGKILL, all: true, CancellationToken.None);
        sandbox.WaitUntilShimExited();
    }

    [Fact]
    public async Task A_kill_before_the_start_ends_the_shim_and_nothing_ever_runs()
    {
        using var runtime = new CountingRuntime();
        using var sandbox = ShimSandbox.WithRuntime(runtime.Path, "shim-earlykill", "sleep", "1000");
        var shim = await sandbox.SpawnAsync();
        using var attached = await shim.AttachAsync(stdin: true, stdout: true, stderr: true, CancellationToken.None);

        await shim.KillAsync(Signals.SIGKILL, all: true, CancellationToken.None);

        // The attacher is let go, and the shim leaves without having run the runtime at all.
        Assert.Equal(("", ""), await ShimStreams.ReadFramesToEndAsync(attached));
        sandbox.WaitUntilShimExited();
        Assert.Empty(runtime.Commands());
        Assert.False(File.Exists(ShimProtocol.ExitFile(sandbox.StateDirectory)), "a container that never ran has no exit");
        Assert.False(File.Exists(ShimProtocol.SocketPath(sandbox.StateDirectory)));
        await Assert.ThrowsAsync<ShimException>(() => shim.StartAsync(CancellationToken.None));
    }

    /// <summary>berth-runtime behind a script that notes every command line it gets (after the global options).</summary>
    sealed class CountingRuntime : IDisposable
    {
        readonly string _directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), TestIds.New("counting-runtime"));

        public CountingRuntime()
        {
            Directory.CreateDirectory(_directory);
            File.WriteAllText(Path, $"""
                #!/bin/sh
                printf '%s\n' "$*" >>'{Log}'
                exec '{RepoPaths.Executable("berth-runtime")}' "$@"
                """);
            File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        public string Path => System.IO.Path.Combine(_directory, "runtime");

        string Log => System.IO.Path.Combine(_directory, "commands");

        /// <summary>Each command line's words from its command on (the shim puts --root, --log and --log-format first).</summary>
        public List<string[]> Commands()
        {
            if (!File.Exists(Log))
                return [];
            return File.ReadAllLines(Log)
                .Select(line => line.Split(' ').SkipWhile(w => w != "--log-format").Skip(2).ToArray())
                .ToList();
        }

        public void Dispose() => Directory.Delete(_directory, recursive: true);
    }
}
