using System.Diagnostics;
using System.Text;
using Berth.Linux;
using Microsoft.Win32.SafeHandles;

namespace Berth.TestSupport;

/// <summary>
/// /bin/sh running a script that starts with <c>read x</c>: it waits on its stdin pipe until
/// <see cref="Go"/>, so that the test can move it into a cgroup first. Stdout and stderr go to one
/// pipe. Killed (by pid) and reaped on Dispose.
/// </summary>
public sealed class ShellChild : IDisposable
{
    readonly SafeFileHandle _stdin;
    readonly SafeFileHandle _output;
    readonly StringBuilder _text = new();
    ExitStatus? _status;

    ShellChild(int pid, SafeFileHandle stdin, SafeFileHandle output)
    {
        Pid = pid;
        _stdin = stdin;
        _output = output;
    }

    public int Pid { get; }

    public static ShellChild Start(string script)
    {
        var (inRead, inWrite) = Files.Pipe();
        var (outRead, outWrite) = Files.Pipe();
        int pid;
        using (inRead)
        using (outWrite)
        {
            int stdin = (int)inRead.DangerousGetHandle(), stdout = (int)outWrite.DangerousGetHandle();
            pid = Processes.Spawn(new SpawnOptions
            {
                Path = "/bin/sh",
                Args = ["sh", "-c", script],
                Files = new Dictionary<int, int> { [0] = stdin, [1] = stdout, [2] = stdout },
            });
        }
        return new ShellChild(pid, inWrite, outRead);
    }

    /// <summary>Lets the script go past one <c>read</c>.</summary>
    public void Go() => Files.WriteAll(_stdin, "\n"u8);

    /// <summary>The exit status, or null if it is still running after <paramref name="timeout"/>.</summary>
    public ExitStatus? WaitExit(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (_status is null && clock.Elapsed < timeout)
        {
            _status = Processes.TryReap(Pid);
            if (_status is null)
                Thread.Sleep(10);
        }
        return _status;
    }

    /// <summary>Everything written so far (waits briefly for more).</summary>
    public string Output(int waitMs = 200)
    {
        Span<byte> buffer = stackalloc byte[4096];
        while (Files.WaitReadable(_output, waitMs))
        {
            int n = Files.Read(_output, buffer);
            if (n == 0)
                break;
            _text.Append(Encoding.UTF8.GetString(buffer[..n]));
        }
        return _text.ToString();
    }

    /// <summary>Waits until the output contains <paramref name="text"/>; fails rather than hang if it never comes.</summary>
    public void WaitFor(string text, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (!Output(50).Contains(text, StringComparison.Ordinal))
        {
            if (deadline.Elapsed >= timeout)
                Assert.Fail($"the child never printed \"{text}\" (gave up after {timeout.TotalSeconds} s); output: {_text}");
        }
    }

    public void Dispose()
    {
        if (_status is null)
        {
            Processes.TryKill(Pid, Signals.SIGKILL);
            WaitExit(TimeSpan.FromSeconds(5));
        }
        _stdin.Dispose();
        _output.Dispose();
    }
}
