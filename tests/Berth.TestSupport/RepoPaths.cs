namespace Berth.TestSupport;

/// <summary>Where the repository and its published executables are.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>artifacts/bin, where build.sh publishes every executable with NativeAOT.</summary>
    public static string Bin => Path.Combine(Root, "artifacts", "bin");

    /// <summary>A published executable; fails the test (never skips) when build.sh has not been run.</summary>
    public static string Executable(string name)
    {
        string path = Path.Combine(Bin, name);
        if (!File.Exists(path))
            Assert.Fail($"{path} is missing: run ./build.sh first (the tests exercise the NativeAOT executables)");
        return path;
    }

    static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Berth.slnx")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("cannot find the repository root (Berth.slnx) above " + AppContext.BaseDirectory);
    }
}
