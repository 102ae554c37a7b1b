using Berth.TestSupport;

namespace Berth.Images.Tests;

/// <summary>A private data root under /tmp (berth-test-images-*), removed when disposed.</summary>
public sealed class TempRoot : IDisposable
{
    public TempRoot() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), TestIds.New("images"));

    public string Content => System.IO.Path.Combine(Path, "content");

    public void Dispose()
    {
        if (Directory.Exists(Path))
            Directory.Delete(Path, recursive: true);
    }
}
