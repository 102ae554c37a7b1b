using Berth.Oci;
using Berth.Oci.Runtime;

namespace Berth.Bench.Runtime;

/// <summary>A busybox bundle (from Debian's busybox-static) whose process is /bin/true.</summary>
internal sealed class BenchBundle : IDisposable
{
    public required string Path { get; init; }

    public static BenchBundle Create()
    {
        string path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"berth-bench-{Environment.ProcessId}");
        string rootfs = System.IO.Path.Combine(path, "rootfs");
        foreach (var dir in new[] { "bin", "proc", "sys", "dev", "etc", "tmp" })
            Directory.CreateDirectory(System.IO.Path.Combine(rootfs, dir));
        if (!File.Exists("/bin/busybox"))
            throw new InvalidOperationException("/bin/busybox is missing: apt-get install busybox-static");
        File.Copy("/bin/busybox", System.IO.Path.Combine(rootfs, "bin/busybox"), overwrite: true);
        File.CreateSymbolicLink(System.IO.Path.Combine(rootfs, "bin/true"), "busybox");
        File.WriteAllText(System.IO.Path.Combine(rootfs, "etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        var spec = DefaultSpec.Create(rootless: false);
        spec.Process!.Terminal = false;
        spec.Process.Args = ["/bin/true"];
        File.WriteAllBytes(System.IO.Path.Combine(path, "config.json"), OciJson.WriteIndented(spec));
        return new BenchBundle { Path = path };
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
