using Berth.Images.Snapshots;
using Berth.Images.Store;
using Berth.Images.Tests.Layers;
using Berth.TestSupport;

namespace Berth.Images.Tests.Store;

/// <summary>A fresh image store in a scratch directory (mounts below it undone on dispose), and the busybox rootfs as a tar.</summary>
public sealed class StoreFixture : IDisposable
{
    readonly ScratchDir _scratch = new();

    public StoreFixture(string? snapshotter = null)
    {
        Store = ImageStore.Open(_scratch.Dir("root"), snapshotter);
        BusyboxTar = BusyboxRootfs.Tar(_scratch.File("busybox.tar"));
    }

    public ImageStore Store { get; }

    public string BusyboxTar { get; }

    public ScratchDir Scratch => _scratch;

    public Image ImportBusybox(params string[] names)
    {
        using var tar = File.OpenRead(BusyboxTar);
        return Store.Import(tar, new ImportOptions { Names = [.. names.Select(Berth.Images.References.Reference.ParseNormalized)], Config = new Berth.Oci.Image.ExecutionConfig { Cmd = ["sh"] } });
    }

    /// <summary>Mounts a container snapshot of <paramref name="image"/> at a new directory.</summary>
    public string MountContainer(Image image, string key)
    {
        var mounts = Store.PrepareContainer(image, key);
        string target = _scratch.Dir($"mnt-{key}");
        SnapshotMounts.Mount(mounts, target);
        return target;
    }

    public void Dispose()
    {
        Store.Dispose();
        _scratch.Dispose();
    }
}
