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
}
