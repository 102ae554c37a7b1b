using Berth.Images.References;
using Berth.Images.Store;
using Berth.TestSupport;

namespace Berth.Distribution.Tests.Client;

/// <summary>Two image stores (vfs) in a scratch directory under /tmp, removed on dispose: one to push from, one to pull into.</summary>
public sealed class ClientStores : IDisposable
{
    public ClientStores()
    {
        Directory.CreateDirectory(Root);
        try
        {
            Source = ImageStore.Open(Path.Combine(Root, "source"), "vfs");
            Target = ImageStore.Open(Path.Combine(Root, "target"), "vfs");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string Root { get; } = Path.Combine(Path.GetTempPath(), TestIds.New("client"));

    public ImageStore Source { get; } = null!;

    public ImageStore Target { get; } = null!;

    /// <summary>The busybox rootfs imported into the source store with <paramref name="name"/> and a unique label.</summary>
    public Image ImportBusybox(string name)
    {
        string tar = BusyboxRootfs.Tar(Path.Combine(Root, $"busybox-{Guid.NewGuid():N}.tar"));
        using var file = File.OpenRead(tar);
        return Source.Import(file, new ImportOptions { Names = [Reference.ParseNormalized(name)], Config = new Berth.Oci.Image.ExecutionConfig { Cmd = ["sh"], Labels = new Dictionary<string, string> { ["test"] = $"{Guid.NewGuid():N}" } } });
    }

    public void Dispose()
    {
        Source?.Dispose();
        Target?.Dispose();
        if (Directory.Exists(Root))
            Directory.Delete(Root, recursive: true);
    }
}
