using System.Diagnostics;

namespace Berth.TestSupport;

/// <summary>The outcome of a finished command.</summary>
public sealed record CommandResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>stderr with runc's logrus escaping undone (<c>msg="unknown signal \"X\""</c> reads <c>unknown signal "X"</c>).</summary>
    public string Errors => Stderr.Replace("\\\"", "\"").Replace("\\\\", "\\");

    public CommandResult EnsureSuccess(string what)
    {
        if (ExitCode != 0)
            Assert.Fail($"{what} failed with exit status {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}");
        return this;
    }
}

/// <summary>
/// Runs a command to completion with a timeout, capturing its output in files rather than pipes:
/// a container started by the command inherits its stdout and stderr and may hold them long after
/// the command has exited, and a pipe would then never reach end of file.
/// </summary>
public static class ProcessRunner
{
    public static CommandResult Run(string file, IEnumerable<string> args, string? stdin = null, TimeSpan? timeout = null,
        string? workingDirectory = null, IDictionary<string, string>? environment = null)
    {
        string outFile = Path.GetTempFileName();
        string errFile = Path.GetTempFileName();
        try
        {
            var info = new ProcessStartInfo("/bin/sh")
            {
                RedirectStandardInput = true,
                UseShellExecute = false,
            };
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add("out=$1; err=$2; shift 2; exec \"$@\" >\"$out\" 2>\"$err\"");
            info.ArgumentList.Add("sh");
            info.ArgumentList.Add(outFile);
            info.ArgumentList.Add(errFile);
            info.ArgumentList.Add(file);
            foreach (var a in args)
                info.ArgumentList.Add(a);
            if (workingDirectory is not null)
                info.WorkingDirectory = workingDirectory;
            if (environment is not null)
                foreach (var (k, v) in environment)
                    info.Environment[k] = v;
            using var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {file}");
            try
            {
                if (stdin is not null)
                    process.StandardInput.Write(stdin);
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // The command did not read its stdin.
            }
            var limit = timeout ?? TimeSpan.FromSeconds(60);
            if (!process.WaitForExit(limit))
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
                Assert.Fail($"{file} {string.Join(' ', args)} did not finish within {limit}\nstdout: {File.ReadAllText(outFile)}\nstderr: {File.ReadAllText(errFile)}");
            }
            return new CommandResult(process.ExitCode, File.ReadAllText(outFile), File.ReadAllText(errFile));
        }
        finally
        {
            File.Delete(outFile);
            File.Delete(errFile);
        }
    }
}
