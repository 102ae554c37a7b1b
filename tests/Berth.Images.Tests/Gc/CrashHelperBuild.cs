using System.Diagnostics;
using Berth.TestSupport;

namespace Berth.Images.Tests.Gc;

/// <summary>
/// The crash helper's assembly (tests/Berth.Images.CrashHelper), built on first use in this test
/// run's configuration. Its reference, Berth.Images, is built already (this test project references it),
/// hence --no-dependencies: the helper alone is compiled, nothing shared is rebuilt underneath.
/// </summary>
public static class CrashHelperBuild
{
#if DEBUG
    const string Configuration = "Debug";
#else
    const string Configuration = "Release";
#endif

    static readonly Lazy<string> s_path = new(Build);

    public static string Path => s_path.Value;

    static string Build()
    {
        string project = System.IO.Path.Combine(RepoPaths.Root, "tests", "Berth.Images.CrashHelper", "Berth.Images.CrashHelper.csproj");
        ProcessRunner.Run("dotnet", ["build", project, "-c", Configuration, "--no-dependencies", "-nologo", "-v", "q"], timeout: TimeSpan.FromMinutes(5))
            .EnsureSuccess("building the crash helper");
        string dll = System.IO.Path.Combine(RepoPaths.Root, "artifacts", "build", "bin", "Berth.Images.CrashHelper",
            $"{Configuration.ToLowerInvariant()}_linux-x64", "Berth.Images.CrashHelper.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing after building {project}");
        return dll;
    }

    /// <summary>
    /// Runs the helper with <paramref name="args"/>, waits until it is working ("ready"), lets it work
    /// for <paramref name="after"/> and kills it with SIGKILL. It must not have exited on its own.
    /// </summary>
    public static void RunAndKill(IReadOnlyList<string> args, TimeSpan after)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path);
        foreach (string arg in args)
            info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            var ready = process.StandardOutput.ReadLineAsync();
            Assert.True(ready.Wait(TimeSpan.FromSeconds(60)), "the crash helper did not start");
            // stderr is read only on failure: its Result waits for the helper to exit.
            if (ready.Result != "ready")
                Assert.Fail($"the crash helper failed to start: {stderr.Result}");
            _ = process.StandardOutput.ReadToEndAsync();
            // It must still be working when killed: exiting on its own means it failed.
            if (process.WaitForExit(after))
                Assert.Fail($"the crash helper exited with {process.ExitCode}: {stderr.Result}");
        }
        finally
        {
            process.Kill(); // SIGKILL
            process.WaitForExit();
        }
    }
}
