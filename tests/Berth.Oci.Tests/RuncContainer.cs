using Berth.Oci.Runtime;

namespace Berth.Oci.Tests;

/// <summary>
/// One container created (not started) by the real runc from a busybox bundle, with annotations that need
/// Go's escaping and a prestart hook that saves the state runc passes to hooks. Holds what runc printed.
/// Deleted, with its bundle and cgroups, on dispose.
/// </summary>
public sealed class RuncContainer : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly string _stateRoot;
    private readonly string? _cgroupsPath;

    public RuncContainer()
    {
        Id = "berth-oci-test-" + Guid.NewGuid().ToString("N")[..12];
        _stateRoot = _dir["runc-root"];
        Bundle = _dir["bundle"];
        string hookOutput = _dir["hook-state.json"];
        bool root = Environment.UserName == "root";

        MakeBusyboxRootfs(Path.Combine(Bundle, "rootfs"));
        Runc.Run(Bundle, root ? ["spec"] : ["spec", "--rootless"]);
        RuntimeSpec spec = OciJson.ReadSpec(Path.Combine(Bundle, "config.json"));
        spec.Process!.Terminal = false;
        spec.Process.Args = ["sleep", "1000"];
        spec.Annotations = new() { ["io.berth.test"] = "<&> grüße", ["a.first"] = "1" };
        spec.Hooks = new Hooks { Prestart = [new Hook { Path = "/bin/sh", Args = ["sh", "-c", $"cat > '{hookOutput}'"] }] };
        if (root)
        {
            _cgroupsPath = "/" + Id; // a leaf of its own: runc creates and removes it, nothing is left behind
            spec.Linux!.CgroupsPath = _cgroupsPath;
        }
        File.WriteAllBytes(Path.Combine(Bundle, "config.json"), OciJson.WriteIndented(spec));

        Runc.RunDetached(Bundle, "--root", _stateRoot, "create", "--bundle", Bundle, Id);
        State = Runc.Run(Bundle, "--root", _stateRoot, "state", Id);
        List = Runc.Run(Bundle, "--root", _stateRoot, "list", "--format", "json");
        HookState = File.ReadAllBytes(hookOutput);
    }

    public string Id { get; }

    public string Bundle { get; }

    /// <summary>Output of <c>runc state</c>.</summary>
    public byte[] State { get; }

    /// <summary>Output of <c>runc list --format json</c>.</summary>
    public byte[] List { get; }

    /// <summary>What the prestart hook read from its stdin.</summary>
    public byte[] HookState { get; }

    public void Dispose()
    {
        try
        {
            Runc.RunDetached(_dir.Path, "--root", _stateRoot, "delete", "--force", Id);
        }
        catch (Exception)
        {
            // Best effort: the container may never have been created.
        }
        if (_cgroupsPath is not null && Directory.Exists("/sys/fs/cgroup"))
        {
            foreach (string hierarchy in Directory.GetDirectories("/sys/fs/cgroup").Append("/sys/fs/cgroup"))
            {
                string leftover = hierarchy + _cgroupsPath;
                if (Directory.Exists(leftover))
                {
                    try
                    {
                        Directory.Delete(leftover);
                    }
                    catch (IOException)
                    {
                    }
                }
            }
        }
        _dir.Dispose();
    }

    private static void MakeBusyboxRootfs(string rootfs)
    {
        const string Busybox = "/bin/busybox";
        Assert.True(File.Exists(Busybox), $"{Busybox} is missing: install busybox-static (the test container's rootfs is made from it)");
        string bin = Path.Combine(rootfs, "bin");
        Directory.CreateDirectory(bin);
        File.Copy(Busybox, Path.Combine(bin, "busybox"));
        foreach (string applet in new[] { "sh", "sleep", "cat", "ls" })
        {
            File.CreateSymbolicLink(Path.Combine(bin, applet), "busybox");
        }
    }
}
