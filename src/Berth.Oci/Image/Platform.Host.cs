using System.Runtime.InteropServices;
using CpuArchitecture = System.Runtime.InteropServices.Architecture;

namespace Berth.Oci.Image;

/// <summary>The platform Berth runs on, as containerd's <c>platforms.DefaultSpec</c> determines it.</summary>
public sealed partial record Platform
{
    private static readonly Lazy<Platform> HostPlatform = new(DetectHost);

    /// <summary>
    /// <c>linux</c>, the architecture of this process in Go's names (GOARCH), and for ARM the CPU variant from
    /// <c>/proc/cpuinfo</c> (<c>arm64/v8</c>, <c>arm/v7</c>); no variant elsewhere.
    /// </summary>
    public static Platform Host => HostPlatform.Value;

    /// <summary>Go's GOARCH for a .NET architecture; null for one Go has no name for.</summary>
    internal static string? GoArchitecture(CpuArchitecture architecture) => architecture switch
    {
        CpuArchitecture.X64 => "amd64",
        CpuArchitecture.X86 => "386",
        CpuArchitecture.Arm64 => "arm64",
        CpuArchitecture.Arm or CpuArchitecture.Armv6 => "arm",
        CpuArchitecture.S390x => "s390x",
        CpuArchitecture.Ppc64le => "ppc64le",
        CpuArchitecture.LoongArch64 => "loong64",
        CpuArchitecture.RiscV64 => "riscv64",
        CpuArchitecture.Wasm => "wasm",
        _ => null,
    };

    private static Platform DetectHost()
    {
        CpuArchitecture processArchitecture = RuntimeInformation.ProcessArchitecture;
        string architecture = GoArchitecture(processArchitecture) ?? processArchitecture.ToString().ToLowerInvariant();
        string? variant = null;
        if (architecture is "arm" or "arm64")
        {
            string? cpuInfo = ReadOrNull("/proc/cpuinfo");
            // Without "CPU architecture" (ARM emulated on x86), containerd falls back to uname's machine; the kernel's
            // /proc/sys/kernel/arch is the same string.
            string? machine = ReadOrNull("/proc/sys/kernel/arch")?.Trim();
            variant = CpuVariant.Detect(architecture, cpuInfo, machine ?? (processArchitecture == CpuArchitecture.Armv6 ? "armv6l" : null));
        }
        return new Platform { OS = "linux", Architecture = architecture, Variant = variant };
    }

    private static string? ReadOrNull(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
