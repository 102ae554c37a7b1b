using System.Diagnostics;

namespace Berth.Bench.Images;

/// <summary>Runs a command of the host (tar, sync, rm) to its end; a failure ends the benchmark.</summary>
internal static class Commands
{
    public static void Run(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { UseShellExecute = false };
        foreach (var a in args)
            info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        p.WaitForExit();
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)}: exit {p.ExitCode}");
    }
}
