using Berth.Oci;
using Berth.Oci.Runtime;

namespace Berth.TestSupport;

/// <summary>
/// An OCI bundle in a temporary directory: a private copy of the busybox rootfs and a config.json
/// made from runc's default spec (terminal off). Removed on dispose.
/// </summary>
public sealed class Bundle : IDisposable
{
    Bundle(string path, RuntimeSpec spec)
    {
        Path = path;
        Spec = spec;
    }

    public string Path { get; }

    public string Rootfs => System.IO.Path.Combine(Path, "rootfs");

    public RuntimeSpec Spec { get; }

    public static Bundle Create(string name, params string[] args)
    {
        string path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"berth-test-{name}-{Guid.NewGuid():N}"[..40]);
        Directory.CreateDirectory(path);
        Directory.CreateDirectory(System.IO.Path.Combine(path, "rootfs"));
        BusyboxRootfs.CopyTo(System.IO.Path.Combine(path, "rootfs"));
        var spec = DefaultSpec.Create(rootless: false);
        spec.Process!.Terminal = false;
        if (args.Length > 0)
            spec.Process.Args = [.. args];
        var bundle = new Bundle(path, spec);
        bundle.Save();
        return bundle;
    }

    /// <summary>Writes config.json from <see cref="Spec"/>.</summary>
    public Bundle Save()
    {
        File.WriteAllBytes(System.IO.Path.Combine(Path, "config.json"), OciJson.WriteIndented(Spec));
        return this;
    }

    public Bundle Configure(Action<RuntimeSpec> change)
    {
        change(Spec);
        return Save();
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A mount left by a failed test: unmount and retry once.
            ProcessRunner.Run("/bin/umount", ["-R", "-l", Rootfs]);
            Directory.Delete(Path, recursive: true);
        }
    }
}
