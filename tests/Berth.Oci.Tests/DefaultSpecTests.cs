using Berth.Oci.Runtime;

namespace Berth.Oci.Tests;

public sealed class DefaultSpecTests
{
    [Fact]
    public void Default_spec_is_byte_identical_to_runc_spec()
    {
        using TempDir dir = new();
        Runc.Run(dir.Path, "spec");

        byte[] expected = File.ReadAllBytes(dir["config.json"]);
        byte[] actual = OciJson.WriteIndented(DefaultSpec.Create(rootless: false));

        AssertBytes(expected, actual);
    }

    [Fact]
    public void Rootless_default_spec_is_byte_identical_to_runc_spec_rootless()
    {
        using TempDir dir = new();
        Runc.Run(dir.Path, "spec", "--rootless");

        byte[] expected = File.ReadAllBytes(dir["config.json"]);
        byte[] actual = OciJson.WriteIndented(DefaultSpec.Create(rootless: true));

        AssertBytes(expected, actual);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Runc_spec_output_reads_and_writes_back_unchanged(bool rootless)
    {
        using TempDir dir = new();
        Runc.Run(dir.Path, rootless ? ["spec", "--rootless"] : ["spec"]);

        byte[] expected = File.ReadAllBytes(dir["config.json"]);
        RuntimeSpec spec = OciJson.ReadSpec(dir["config.json"]);

        AssertBytes(expected, OciJson.WriteIndented(spec));
    }

    [Fact]
    public void Rootless_maps_root_to_the_given_ids_and_drops_cgroup_settings()
    {
        RuntimeSpec spec = DefaultSpec.Create(rootless: true, hostUid: 1000, hostGid: 100);

        Assert.Equal(1000u, Assert.Single(spec.Linux!.UidMappings!).HostId);
        Assert.Equal(100u, Assert.Single(spec.Linux.GidMappings!).HostId);
        Assert.Null(spec.Linux.Resources);
        Assert.Equal(["pid", "ipc", "uts", "mount", "user"], spec.Linux.Namespaces!.Select(n => n.Type));
        Assert.DoesNotContain(spec.Mounts!, m => m.Options?.Any(o => o.StartsWith("gid=", StringComparison.Ordinal)) == true);
    }

    [Fact]
    public void Each_call_returns_a_fresh_spec()
    {
        RuntimeSpec first = DefaultSpec.Create(rootless: false);
        first.Process!.Capabilities!.Bounding!.Add("CAP_SYS_ADMIN");
        first.Mounts!.Clear();

        RuntimeSpec second = DefaultSpec.Create(rootless: false);
        Assert.Equal(3, second.Process!.Capabilities!.Bounding!.Count);
        Assert.Equal(3, second.Process.Capabilities.Effective!.Count);
        Assert.Equal(7, second.Mounts!.Count);
    }

    internal static void AssertBytes(byte[] expected, byte[] actual)
    {
        // Compare as text first for a readable diff, then as bytes.
        Assert.Equal(System.Text.Encoding.UTF8.GetString(expected), System.Text.Encoding.UTF8.GetString(actual));
        Assert.Equal(expected, actual);
    }
}
