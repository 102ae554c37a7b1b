using Berth.Oci.Runtime;
using Berth.TestSupport;

namespace Berth.Runtime.Tests;

/// <summary>A bad config gets one clear error naming the field, exit status 1, and leaves nothing behind.</summary>
public sealed class BadInputTests : IDisposable
{
    readonly OciRuntimeCli _runtime = OciRuntimeCli.Berth();

    public static TheoryData<string, string> BrokenConfigs() => new()
    {
        { "{ \"ociVersion\": ", "config.json" },
        { "{\"ociVersion\":\"1.0.2\",\"process\":{\"user\":{\"uid\":\"root\"},\"args\":[\"sh\"],\"cwd\":\"/\"},\"root\":{\"path\":\"rootfs\"},\"linux\":{\"namespaces\":[{\"type\":\"mount\"}]}}", "$.process.user.uid" },
    };

    [Theory]
    [MemberData(nameof(BrokenConfigs))]
    public void Malformed_json_names_the_place(string json, string expected)
    {
        using var bundle = Bundle.Create("badjson", "true");
        File.WriteAllText(Path.Combine(bundle.Path, "config.json"), json);
        AssertRefused(bundle, expected);
    }

    public static TheoryData<string, string> BadSpecs() => new()
    {
        { "rootfs", "root.path" },
        { "namespace", "linux.namespaces[0].type: unknown namespace type \"bogus\"" },
        { "capability", "process.capabilities.bounding: unknown capability \"CAP_BOGUS\"" },
        { "rlimit", "process.rlimits: unknown rlimit type \"RLIMIT_BOGUS\"" },
        { "args", "process.args" },
        { "cwd", "process.cwd" },
        { "bind", "mounts[7].source" },
        { "hostname", "hostname: unable to set hostname without a private UTS namespace" },
        { "sysctl", "linux.sysctl: sysctl \"vm.swappiness\" is not in a separate kernel namespace" },
        { "device", "linux.devices[0].type" },
        { "memory", "linux.resources.memory" },
        { "executable", "exec: \"no-such-binary\": executable file not found in $PATH" },
        { "nsPath", "linux.namespaces" },
    };

    [Theory]
    [MemberData(nameof(BadSpecs))]
    public void A_bad_field_is_named_and_nothing_is_left(string what, string expected)
    {
        using var bundle = Bundle.Create("badspec", "true");
        bundle.Configure(s =>
        {
            switch (what)
            {
                case "rootfs": s.Root!.Path = "/nonexistent/rootfs"; break;
                case "namespace": s.Linux!.Namespaces!.Insert(0, new LinuxNamespace { Type = "bogus" }); break;
                case "capability": s.Process!.Capabilities!.Bounding!.Add("CAP_BOGUS"); break;
                case "rlimit": s.Process!.Rlimits!.Add(new Rlimit { Type = "RLIMIT_BOGUS", Soft = 1, Hard = 1 }); break;
                case "args": s.Process!.Args = []; break;
                case "cwd": s.Process!.Cwd = "relative"; break;
                case "bind": s.Mounts!.Add(new Mount { Destination = "/x", Type = "bind", Source = "/nonexistent/source", Options = ["bind"] }); break;
                case "hostname": s.Hostname = "x"; s.Linux!.Namespaces!.RemoveAll(n => n.Type == "uts"); break;
                case "sysctl": s.Linux!.Sysctl = new() { ["vm.swappiness"] = "1" }; break;
                case "device": s.Linux!.Devices = [new LinuxDevice { Path = "/dev/x", Type = "q" }]; break;
                case "memory": s.Linux!.Resources = new LinuxResources { Memory = new LinuxMemory { Limit = 4096 } }; break;
                case "executable": s.Process!.Args = ["no-such-binary"]; break;
                case "nsPath": s.Linux!.Namespaces!.Add(new LinuxNamespace { Type = "ipc", Path = "/proc/999999999/ns/ipc" }); s.Linux.Namespaces.RemoveAll(n => n.Type == "ipc" && n.Path is null); break;
            }
        });
        AssertRefused(bundle, expected);
    }

    void AssertRefused(Bundle bundle, string expected)
    {
        string id = _runtime.Track(TestIds.New("bad"));
        var before = CgroupDirectories();
        var result = _runtime.Invoke("create", "--bundle", bundle.Path, id);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(expected, result.Errors);
        Assert.Single(result.Stderr.Trim().Split('\n'));
        Assert.Empty(Directory.GetDirectories(_runtime.Root));
        Assert.Equal(before, CgroupDirectories());
        Assert.Equal(1, _runtime.Invoke("state", id).ExitCode);
    }

    /// <summary>Every container cgroup directory Berth could have left (its berth parents, on every hierarchy).</summary>
    static SortedSet<string> CgroupDirectories()
    {
        var set = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var berth in Directory.EnumerateDirectories("/sys/fs/cgroup", "berth", new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 4 }))
            foreach (var dir in Directory.EnumerateDirectories(berth))
                if (Path.GetFileName(dir).StartsWith("berth-test-bad", StringComparison.Ordinal))
                    set.Add(dir);
        return set;
    }

    public void Dispose() => _runtime.Dispose();
}
