using System.Diagnostics;
using Berth.Linux;

namespace Berth.TestSupport;

/// <summary>
/// <c>berth registry serve</c> (the published NativeAOT berth) on 127.0.0.1 with a port the kernel picks and its own
/// storage directory; the address is read from the line it prints when it serves. Dispose stops it by PID and
/// removes the storage.
/// </summary>
public sealed class BerthRegistry : IDisposable
{
    readonly Process _process;
    readonly string _log;

    public BerthRegistry(params string[] extraArgs)
    {
        Root = Path.Combine(Path.GetTempPath(), TestIds.New("registry"));
        Directory.CreateDirectory(Root);
        _log = Root + ".log";
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardInput = true };
        foreach (string a in new[] { "-c", "log=$1; shift; exec \"$@\" >>\"$log\" 2>&1", "sh", _log, RepoPaths.Executable("berth"), "registry", "serve", "--addr", "127.0.0.1:0", "--root", Root })
            info.ArgumentList.Add(a);
        foreach (string a in extraArgs)
            info.ArgumentList.Add(a);
        _process = Process.Start(info) ?? throw new InvalidOperationException("cannot start berth registry serve");
        _process.StandardInput.Close();
        var clock = Stopwatch.StartNew();
        while (Address is null)
        {
            if (_process.HasExited)
            {
                string log = Log();
                Cleanup();
                Assert.Fail($"berth registry serve exited with status {_process.ExitCode}:\n{log}");
            }
            if (clock.Elapsed > TimeSpan.FromSeconds(20))
            {
                string log = Log();
                Dispose();
                Assert.Fail($"berth registry serve did not start within 20 s:\n{log}");
            }
            const string marker = "://";
            foreach (string line in Log().Split('\n'))
            {
                int at = line.IndexOf(" on http", StringComparison.Ordinal);
                if (at >= 0 && line.IndexOf(marker, at, StringComparison.Ordinal) is int scheme and > 0)
                    Address = line[(scheme + marker.Length)..].Trim();
            }
            if (Address is null)
                Thread.Sleep(20);
        }
    }

    /// <summary>host:port, as image references and skopeo want it.</summary>
    public string? Address { get; private set; }

    /// <summary>The registry's storage directory.</summary>
    public string Root { get; }

    public int Pid => _process.Id;

    public string Log()
    {
        try
        {
            using var stream = new FileStream(_log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            return new StreamReader(stream).ReadToEnd();
        }
        catch (FileNotFoundException)
        {
            return "";
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Processes.TryKill(_process.Id, Signals.SIGTERM);
            if (!_process.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                Processes.TryKill(_process.Id, Signals.SIGKILL);
                _process.WaitForExit(TimeSpan.FromSeconds(10));
            }
        }
        Cleanup();
    }

    void Cleanup()
    {
        if (Directory.Exists(Root))
            Directory.Delete(Root, recursive: true);
        File.Delete(_log);
    }
}
