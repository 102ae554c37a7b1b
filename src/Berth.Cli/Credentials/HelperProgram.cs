using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Berth.Cli.Credentials;

/// <summary>What one run of a helper gave: its stdout, and Go's text of the failure (null when it exited with 0).</summary>
internal sealed record HelperRun(string? Failure, byte[] Stdout);

/// <summary>
/// Runs a credential helper as docker's client does (os/exec): the program found on PATH, one argument (the verb), the
/// input on its stdin, its stdout read whole, its stderr the user's own. Never through a shell: the verb and the input
/// are data. Unlike docker, a helper that does not finish within <see cref="Timeout"/> is killed (by its PID) and
/// counts as failed, so that a hung helper cannot hang every pull.
/// </summary>
internal static class HelperProgram
{
    /// <summary>Long: a helper may be waiting for a person (a keyring to unlock, a passphrase to type).</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    // A helper that hung once is not waited for again by this process: a logout asks it four times.
    static readonly HashSet<string> Hung = [];

    public static HelperRun Run(string program, string verb, byte[] input, IReadOnlyDictionary<string, string?> environment)
    {
        lock (Hung)
            if (Hung.Contains(program))
                return new HelperRun(TimedOut(program, verb), []);
        if (Resolve(program, environment) is not { } path)
            return new HelperRun(NotFound(program), []);
        var info = new ProcessStartInfo(path)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = false,
        };
        info.ArgumentList.Add(verb);
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {path}");
        }
        catch (Win32Exception e)
        {
            return new HelperRun($"fork/exec {path}: {Errno(e.NativeErrorCode)}", []);
        }
        using (process)
        {
            var clock = Stopwatch.StartNew();
            var stdout = new MemoryStream();
            var reading = process.StandardOutput.BaseStream.CopyToAsync(stdout);
            try
            {
                // Small (a URL, one JSON line): the pipe takes it whole whether or not the helper reads.
                process.StandardInput.BaseStream.Write(input);
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // The helper exited without reading its input (list needs none): what it printed still counts.
            }
            bool exited = process.WaitForExit(Timeout);
            // A child the helper left behind may hold stdout open; it gets what is left of the time, no more.
            bool read;
            try
            {
                read = exited && reading.Wait(Remaining(clock));
            }
            catch (AggregateException e)
            {
                return new HelperRun($"read {program}'s output: {e.InnerException?.Message}", []);
            }
            if (!exited || !read)
            {
                if (!exited)
                {
                    try
                    {
                        process.Kill();
                    }
                    catch (InvalidOperationException)
                    {
                        // It exited meanwhile.
                    }
                    process.WaitForExit();
                }
                lock (Hung)
                    Hung.Add(program);
                // What it printed so far is left out: the copy may still be writing into the buffer.
                return new HelperRun(TimedOut(program, verb), []);
            }
            return new HelperRun(process.ExitCode == 0 ? null : $"exit status {process.ExitCode}", stdout.ToArray());
        }
    }

    static string TimedOut(string program, string verb) => $"{program} {verb}: no answer within {Timeout.TotalSeconds:0} s (stopped)";

    static TimeSpan Remaining(Stopwatch clock) => clock.Elapsed < Timeout ? Timeout - clock.Elapsed : TimeSpan.Zero;

    /// <summary>Go's exec.LookPath: a name with a slash as it is, else the first executable regular file of that name on PATH.</summary>
    static string? Resolve(string program, IReadOnlyDictionary<string, string?> environment)
    {
        if (program.Contains('/'))
            return IsExecutable(program) ? program : null;
        string pathVariable = environment.TryGetValue("PATH", out var p) ? p ?? "" : "";
        foreach (string dir in pathVariable.Split(':'))
        {
            // Go refuses a program found through an empty or relative PATH entry (ErrDot); so does berth, silently.
            if (dir.Length == 0 || !Path.IsPathRooted(dir))
                continue;
            string candidate = Path.Combine(dir, program);
            if (IsExecutable(candidate))
                return candidate;
        }
        return null;
    }

    static bool IsExecutable(string path)
    {
        try
        {
            var file = new FileInfo(path);
            return file.Exists && (file.UnixFileMode & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    static string NotFound(string program)
    {
        if (!program.Contains('/'))
            return $"exec: \"{program}\": executable file not found in $PATH";
        return File.Exists(program) || Directory.Exists(program)
            ? $"exec: \"{program}\": permission denied"
            : $"exec: \"{program}\": stat {program}: no such file or directory";
    }

    /// <summary>The errno's text as Go's syscall package writes it (strerror, first letter small).</summary>
    static string Errno(int errno)
    {
        string text = Marshal.GetPInvokeErrorMessage(errno);
        return text.Length > 0 ? char.ToLowerInvariant(text[0]) + text[1..] : $"errno {errno}";
    }
}
