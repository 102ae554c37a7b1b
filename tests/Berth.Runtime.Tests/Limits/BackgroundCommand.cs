using System.Diagnostics;

namespace Berth.Runtime.Tests.Limits;

/// <summary>
/// A command left running (`events` streams until the container stops), its output going to a
/// file so that nothing blocks on a pipe. Dispose stops it by its PID if it is still running.
/// </summary>
internal sealed class BackgroundCommand : IDisposable
{
    readonly Process _process;
    readonly string _output = Path.GetTempFileName();

    public BackgroundCommand(string file, IEnumerable<string> args)
    {
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        foreach (var a in (string[])["-c", "out=$1; shift; exec \"$@\" >\"$out\" 2>&1", "sh", _output, file, .. args])
            info.ArgumentList.Add(a);
        _process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {file}");
    }

    public int Pid => _process.Id;

    public string Output => File.ReadAllText(_output);

    public bool WaitForExit(TimeSpan timeout) => _process.WaitForExit(timeout);

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }
        _process.Dispose();
        File.Delete(_output);
    }
}
