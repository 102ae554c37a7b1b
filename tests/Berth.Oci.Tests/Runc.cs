using System.Diagnostics;

namespace Berth.Oci.Tests;

/// <summary>
/// The real runc, the reference these tests compare with. It is installed on every Berth machine and in CI:
/// when it is missing the tests fail and say so; they never skip.
/// </summary>
internal static class Runc
{
    private static string? s_path;

    public static string Path => s_path ??= Find("runc");

    /// <summary>Runs runc and returns its stdout; fails the test on a non-zero exit.</summary>
    public static byte[] Run(string workingDirectory, params string[] args)
    {
        ProcessStartInfo start = new(Path)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using Process process = System.Diagnostics.Process.Start(start)!;
        process.StandardInput.Close();
        using MemoryStream stdout = new();
        Task copy = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill();
            Assert.Fail($"runc {string.Join(' ', args)}: no exit after 60 s");
        }
        copy.Wait();
        Assert.True(process.ExitCode == 0, $"runc {string.Join(' ', args)} exited {process.ExitCode}: {stderr.Result}");
        return stdout.ToArray();
    }

    /// <summary>
    /// Runs runc with stdio on /dev/null (the container's init inherits it and outlives runc) and stderr in
    /// a file; fails the test on a non-zero exit.
    /// </summary>
    public static void RunDetached(string workingDirectory, params string[] args)
    {
        string errors = System.IO.Path.Combine(workingDirectory, "runc.stderr");
        ProcessStartInfo start = new("/bin/sh") { WorkingDirectory = workingDirectory };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exec \"$0\" \"$@\" </dev/null >/dev/null 2>\"$RUNC_STDERR\"");
        start.ArgumentList.Add(Path);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["RUNC_STDERR"] = errors;
        using Process process = System.Diagnostics.Process.Start(start)!;
        if (!process.WaitForExit(60_000))
        {
            process.Kill();
            Assert.Fail($"runc {string.Join(' ', args)}: no exit after 60 s");
        }
        Assert.True(process.ExitCode == 0,
            $"runc {string.Join(' ', args)} exited {process.ExitCode}: {(File.Exists(errors) ? File.ReadAllText(errors) : "")}");
    }

    public static string Find(string name)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin").Split(':'))
        {
            string candidate = System.IO.Path.Combine(dir, name);
            if (dir.Length > 0 && File.Exists(candidate))
            {
                return candidate;
            }
        }
        Assert.Fail($"{name} is not installed (not found on PATH): these tests compare Berth with the real {name}; install it (Debian: apt-get install {name})");
        return "";
    }
}

/// <summary>A temporary directory, removed on dispose; named so that leftovers are recognisable.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = Directory.CreateTempSubdirectory("berth-oci-test-").FullName;
    }

    public string Path { get; }

    public string this[string relative] => System.IO.Path.Combine(Path, relative);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
