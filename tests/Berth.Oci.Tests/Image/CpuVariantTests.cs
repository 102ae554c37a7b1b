using System.Runtime.InteropServices;
using Berth.Oci.Image;

namespace Berth.Oci.Tests.Image;

/// <summary>The host's ARM variant, from /proc/cpuinfo as containerd reads it (cpuinfo_linux.go).</summary>
public sealed class CpuVariantTests
{
    private const string RaspberryPiZero = "processor\t: 0\nmodel name\t: ARMv6-compatible processor rev 7 (v6l)\nBogoMIPS\t: 697.95\nCPU architecture: 7\nHardware\t: BCM2835\n";
    private const string Graviton = "processor\t: 0\nBogoMIPS\t: 243.75\nFeatures\t: fp asimd evtstrm aes\nCPU implementer\t: 0x41\nCPU architecture: 8\nCPU variant\t: 0x3\n";
    private const string RaspberryPi3 = "processor\t: 0\nmodel name\t: ARMv7 Processor rev 4 (v7l)\nCPU architecture: 7\n";

    [Theory]
    [InlineData("arm64", Graviton, null, "v8")]
    [InlineData("arm", RaspberryPi3, null, "v7")]
    [InlineData("arm", RaspberryPiZero, null, "v6")] // reports 7, model name says v6
    [InlineData("arm64", RaspberryPiZero, null, "v7")] // the correction applies to 32-bit processes only
    [InlineData("arm64", "processor\t: 0\n", "aarch64", "v8")] // emulated: no CPU architecture line, uname says
    [InlineData("arm", "", "armv7l", "v7")]
    [InlineData("arm", "", "armv5tel", "v5")]
    [InlineData("arm", "CPU architecture: 5TEJ\n", null, "v5")]
    [InlineData("arm", "CPU architecture: ?(12)\n", null, "v7")]
    [InlineData("arm", "CPU architecture: 9\n", null, "unknown")]
    [InlineData("arm", null, "x86_64", null)]
    public void Reads_the_variant(string goArchitecture, string? cpuInfo, string? machine, string? variant)
    {
        Assert.Equal(variant, CpuVariant.Detect(goArchitecture, cpuInfo, machine));
    }

    [Theory]
    [InlineData(Architecture.X64, "amd64")]
    [InlineData(Architecture.Arm64, "arm64")]
    [InlineData(Architecture.Arm, "arm")]
    [InlineData(Architecture.X86, "386")]
    [InlineData(Architecture.S390x, "s390x")]
    [InlineData(Architecture.Ppc64le, "ppc64le")]
    [InlineData(Architecture.RiscV64, "riscv64")]
    [InlineData(Architecture.LoongArch64, "loong64")]
    public void Architectures_have_gos_names(Architecture architecture, string goArchitecture)
    {
        Assert.Equal(goArchitecture, Platform.GoArchitecture(architecture));
    }

    [Fact]
    public void Host_has_a_variant_only_on_arm()
    {
        Platform host = Platform.Host;

        Assert.Equal(host.Architecture is "arm" or "arm64", host.Variant is not null);
    }
}
