using System.Diagnostics;
using System.Text;
using Berth.Linux;
using Microsoft.Win32.SafeHandles;

namespace Berth.TestSupport;

/// <summary>
/// A command run on a new pseudo-terminal, as a user at a terminal runs it: the pty is its stdin,
/// stdout, stderr and controlling terminal (util-linux's setsid --ctty). The test types into the
/// master and reads what the command writes, the terminal's echo included. Killed by PID and
/// reaped on dispose.
/// </summary>
public sealed class PtySession : IDisposable
{
    readonly SafeFileHandle _master;
    readonly StringBuilder _output = new();
    ExitStatus? _status;

    PtySession(int pid, SafeFileHandle master)
    {
        Pid = pid;
        _master = master;
    }

    public int Pid { get; }

    /// <summary>Everything read from the terminal so far.</summary>
    public string Output => _output.ToString();

    public static PtySession Start(string file, IReadOnlyList<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        string setsid = HostTools.Require("setsid", "util-linux");
        var (master, slavePath) = Terminal.OpenPty();
        Terminal.SetSize((int)master.DangerousGetHandle(), 24, 80);
        using var slave = Files.Open(slavePath, OpenFlags.ReadWrite | OpenFlags.NoCtty);
        int fd = (int)slave.DangerousGetHandle();
        var env = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "");
        env["TERM"] = "xterm";
        foreach (var (k, v) in environment ?? new Dictionary<string, string>())
            env[k] = v;
        int pid = Processes.Spawn(new SpawnOptions
        {
            Path = setsid,
            Args = ["setsid", "--ctty", "--wait", file, .. args],
            Environment = env.Select(e => $"{e.Key}={e.Value}").ToList(),
            Files = new Dictionary<int, int> { [0] = fd, [1] = fd, [2] = fd },
        });
        return new PtySession(pid, master);
    }

    /// <summary>Types <paramref name="text"/> (use "\r" for Enter, as a terminal sends it).</summary>
    public void Type(string text) => Files.WriteAll(_master, Encoding.UTF8.GetBytes(text));

    /// <summary>Reads until the output (from the start of the session) contains <paramref name="marker"/>.</summary>
    public string ReadUntil(string marker, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(20);
        var clock = Stopwatch.StartNew();
        while (!_output.ToString().Contains(marker, StringComparison.Ordinal))
        {
            if (clock.Elapsed > limit)
                Assert.Fail($"no \"{marker}\" on the terminal within {limit.TotalSeconds} s; it showed:\n{Output}");
            if (!ReadSome(100) && _status is null)
                _status = Processes.TryReap(Pid);
            if (_status is not null && !ReadSome(100))
                Assert.Fail($"the command ended ({_status}) without \"{marker}\" on the terminal; it showed:\n{Output}");
        }
        return Output;
    }

    /// <summary>Waits for the command to end and returns its exit code (128+n when killed by signal n).</summary>
    public int WaitExit(TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(20);
        var clock = Stopwatch.StartNew();
        while (_status is null)
        {
            if (clock.Elapsed > limit)
                Assert.Fail($"the command on the terminal did not end within {limit.TotalSeconds} s; it showed:\n{Output}");
            ReadSome(50);
            _status = Processes.TryReap(Pid);
        }
        while (ReadSome(50))
        {
        }
        return _status.Value.ShellCode;
    }

    /// <summary>Reads what is there (waiting up to <paramref name="waitMs"/>); false if nothing came.</summary>
    bool ReadSome(int waitMs)
    {
        if (!Files.WaitReadable(_master, waitMs))
            return false;
        Span<byte> buffer = stackalloc byte[4096];
        try
        {
            int n = Files.Read(_master, buffer);
            if (n <= 0)
                return false;
            _output.Append(Encoding.UTF8.GetString(buffer[..n]));
            return true;
        }
        catch (LinuxException e) when (e.Errno == Errno.EIO)
        {
            // Every slave descriptor is closed: the command and its children have ended.
            return false;
        }
    }

    public void Dispose()
    {
        if (_status is null)
        {
            Processes.TryKill(Pid, Signals.SIGKILL);
            for (int i = 0; i < 100 && _status is null; i++)
            {
                _status = Processes.TryReap(Pid);
                Thread.Sleep(20);
            }
        }
        _master.Dispose();
    }
}
