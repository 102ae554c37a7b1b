using System.Diagnostics;
using Berth.Linux;
using Berth.TestSupport;

namespace Berth.Compat;

/// <summary>
/// The published berth-init on its own (not PID 1, where it makes itself a subreaper), and in a root
/// that holds nothing but itself and a static busybox: it needs no libc of the image.
/// </summary>
public sealed class InitBinaryTests
{
    static readonly string Init = RepoPaths.Executable("berth-init");

    [Fact]
    public void It_is_one_static_executable()
    {
        var elf = File.ReadAllBytes(Init);
        // No PT_INTERP program header means no dynamic loader: nothing of the image's is needed.
        Assert.DoesNotContain("/lib64/ld-linux", System.Text.Encoding.ASCII.GetString(elf));
        Assert.True(elf.Length < 4 * 1024 * 1024, $"berth-init is small ({elf.Length} bytes)");
    }

    [Fact]
    public void It_runs_the_command_and_exits_with_its_status()
    {
        Assert.Equal(5, ProcessRunner.Run(Init, ["--", "sh", "-c", "exit 5"]).ExitCode);
        Assert.Equal(0, ProcessRunner.Run(Init, ["true"]).ExitCode);
        Assert.Equal(128 + Signals.SIGUSR2, ProcessRunner.Run(Init, ["--", "sh", "-c", "kill -USR2 $$"]).ExitCode);
        var output = ProcessRunner.Run(Init, ["--", "sh", "-c", "echo out; echo err >&2"]);
        Assert.Equal(("out\n", "err\n"), (output.Stdout, output.Stderr));
    }

    [Fact]
    public void Bad_command_lines_and_missing_commands_are_tini_s_errors()
    {
        Assert.StartsWith("berth-init version ", ProcessRunner.Run(Init, ["--version"]).Stdout);
        var none = ProcessRunner.Run(Init, []);
        Assert.Equal(1, none.ExitCode);
        Assert.Contains("usage: berth-init", none.Stderr);
        Assert.Equal(1, ProcessRunner.Run(Init, ["-x", "true"]).ExitCode);
        var missing = ProcessRunner.Run(Init, ["--", "no-such-command-berth"]);
        Assert.Equal(127, missing.ExitCode);
        Assert.Matches(@"^\[FATAL berth-init \(\d+\)\] exec no-such-command-berth failed: No such file or directory\n$", missing.Stderr);
    }

    [Fact]
    public async Task Signals_are_forwarded_and_every_thread_of_berth_init_blocks_them()
    {
        var start = new ProcessStartInfo(Init) { RedirectStandardOutput = true, ArgumentList = { "--", "sh", "-c", "trap 'exit 42' USR1; echo ready; while true; do sleep 0.05; done" } };
        using var init = Process.Start(start)!;
        try
        {
            // berth-init blocks its signals before it starts the command, and the command has set its trap.
            Assert.Equal("ready", await init.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)));
            // Its threads other than the one waiting in sigwaitinfo (which unblocks what it waits for while it waits) block SIGUSR1.
            var others = Directory.GetDirectories($"/proc/{init.Id}/task").Where(t => Path.GetFileName(t) != init.Id.ToString()).ToList();
            Assert.NotEmpty(others);
            foreach (string task in others)
            {
                string mask = File.ReadLines(Path.Combine(task, "status")).First(l => l.StartsWith("SigBlk:")).Split('\t')[1];
                Assert.True((Convert.ToUInt64(mask, 16) & (1UL << (Signals.SIGUSR1 - 1))) != 0, $"thread {File.ReadAllText(Path.Combine(task, "comm")).Trim()} blocks SIGUSR1 (SigBlk {mask})");
            }
            Processes.Kill(init.Id, Signals.SIGUSR1);
            await init.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(42, init.ExitCode);
        }
        finally
        {
            init.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public void Orphans_of_the_command_are_reaped()
    {
        // The subshell starts `true` in the background and exits: `true` is orphaned to berth-init, the
        // nearest subreaper, and ends; its /proc entry stays while it is a zombie and goes when it is reaped.
        const string script = "(true & echo $! > \"$0\"); p=$(cat \"$0\"); rm \"$0\"; while [ -e /proc/$p ]; do sleep 0.05; done; echo reaped";
        string scratch = Path.Combine(Path.GetTempPath(), TestIds.New("init-orphan"));
        var run = ProcessRunner.Run(Init, ["--", "sh", "-c", script, scratch], timeout: TimeSpan.FromSeconds(60));
        Assert.Equal("reaped\n", run.Stdout);
    }

    [Fact]
    public void It_runs_in_a_root_with_nothing_but_itself_and_a_static_busybox()
    {
        string root = Path.Combine(Path.GetTempPath(), TestIds.New("init-root"));
        Directory.CreateDirectory(root);
        try
        {
            File.Copy(Init, Path.Combine(root, "init"));
            File.Copy(HostTools.Busybox, Path.Combine(root, "busybox"));
            File.SetUnixFileMode(Path.Combine(root, "init"), (UnixFileMode)Convert.ToInt32("755", 8));
            File.SetUnixFileMode(Path.Combine(root, "busybox"), (UnixFileMode)Convert.ToInt32("755", 8));
            var run = ProcessRunner.Run("/usr/sbin/chroot", [root, "/init", "--", "/busybox", "sh", "-c", "echo inside; exit 4"]);
            Assert.Equal(4, run.ExitCode);
            Assert.Equal("inside\n", run.Stdout);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
