using Berth.Oci.Runtime;
using Berth.Oci.Tests.Reference;

namespace Berth.Oci.Tests;

public sealed class RuncFeaturesTests
{
    [Fact]
    public void Runc_features_reads_and_writes_back_byte_identical()
    {
        using TempDir dir = new();
        byte[] runc = Runc.Run(dir.Path, "features");

        Features features = Serializer.ReadValid<Features>(runc);

        Assert.Equal(OciVersion.Minimum, features.OciVersionMin);
        Assert.Contains("createRuntime", features.Hooks!);
        Assert.Contains("SCMP_ACT_NOTIFY", features.Linux!.Seccomp!.Actions!);
        // runc indents features with four spaces and ends them with a newline (json.Encoder).
        DefaultSpecTests.AssertBytes(runc, [.. OciJson.WriteIndented(features, ' ', 4), (byte)'\n']);
    }

    [Fact]
    public void Unknown_feature_flags_are_omitted()
    {
        Features features = new() { OciVersionMin = "1.0.0", Linux = new LinuxFeatures { Cgroup = new CgroupFeatures { V2 = true } } };

        Assert.Equal("""{"ociVersionMin":"1.0.0","linux":{"cgroup":{"v2":true}}}"""u8.ToArray(), OciJson.WriteCompact(features));
    }
}
