namespace Berth.Engine.Tests.Stats;

/// <summary>A temporary directory to write cgroup interface files into (as the kernel shows them); removed on dispose.</summary>
sealed class CgroupFilesDirectory : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("berth-test-cgroupfiles-").FullName;

    /// <summary>Writes <paramref name="file"/> under <paramref name="dir"/> (relative to the root), making the directory.</summary>
    public CgroupFilesDirectory Write(string dir, string file, string text)
    {
        string path = Path.Combine(Root, dir);
        Directory.CreateDirectory(path);
        File.WriteAllText(Path.Combine(path, file), text);
        return this;
    }

    public string PathOf(string dir) => Path.Combine(Root, dir);

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
