using System.Diagnostics;

namespace Berth.Engine.Runtimes;

/// <summary>
/// One command of an OCI runtime's CLI (pause, resume, ps, update, events) against the engine's
/// root for that runtime; the shim runs create/start/kill/delete itself.
/// </summary>
public static class RuntimeCommand
{
    public static async Task<string> RunAsync(RuntimeDefinition runtime, string root, IEnumerable<string> args, CancellationToken ct = default)
    {
        var info = new ProcessStartInfo(runtime.Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string a in runtime.Args)
            info.ArgumentList.Add(a);
        info.ArgumentList.Add("--root");
        info.ArgumentList.Add(root);
        foreach (string a in args)
            info.ArgumentList.Add(a);
        using var process = Process.Start(info) ?? throw EngineException.System($"cannot start {runtime.Path}");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0)
        {
            string message = (await stderr).Trim();
            throw EngineException.System($"{Path.GetFileName(runtime.Path)} {string.Join(' ', args)}: {(message.Length == 0 ? $"exit status {process.ExitCode}" : message)}");
        }
        return await stdout;
    }
}
