namespace Berth.Oci.Image;

/// <summary>Normalisation as containerd's platforms package (database.go) does it, so that comparisons agree with Docker's.</summary>
public sealed partial record Platform
{
    /// <summary>
    /// The canonical form: OS lowercased (<c>macos</c> is <c>darwin</c>, empty is <c>linux</c>), architecture and variant
    /// lowercased and aliased: <c>x86_64</c>/<c>x86-64</c> are <c>amd64</c> (variant <c>v1</c> dropped), <c>i386</c> is
    /// <c>386</c>, <c>aarch64</c> is <c>arm64</c> (<c>v8</c> is its default and dropped, <c>9</c> is <c>v9</c>),
    /// <c>armhf</c> is <c>arm/v7</c>, <c>armel</c> is <c>arm/v6</c>, and a bare <c>arm</c> is <c>arm/v7</c>.
    /// </summary>
    public Platform Normalize()
    {
        (string architecture, string variant) = NormalizeArchitecture(Architecture, Variant ?? "");
        return this with { OS = NormalizeOS(OS), Architecture = architecture, Variant = variant.Length == 0 ? null : variant };
    }

    internal static string NormalizeOS(string os)
    {
        if (os.Length == 0)
        {
            return "linux"; // runtime.GOOS: Berth runs on Linux only
        }
        os = os.ToLowerInvariant();
        return os == "macos" ? "darwin" : os;
    }

    internal static (string Architecture, string Variant) NormalizeArchitecture(string architecture, string variant)
    {
        architecture = architecture.ToLowerInvariant();
        variant = variant.ToLowerInvariant();
        switch (architecture)
        {
            case "i386":
                return ("386", "");
            case "x86_64" or "x86-64" or "amd64":
                return ("amd64", variant == "v1" ? "" : variant);
            case "aarch64" or "arm64":
                return ("arm64", variant switch
                {
                    "8" or "v8" or "v8.0" => "",
                    "9" or "9.0" or "v9.0" => "v9",
                    _ => variant,
                });
            case "armhf":
                return ("arm", "v7");
            case "armel":
                return ("arm", "v6");
            case "arm":
                return ("arm", variant switch
                {
                    "" or "7" => "v7",
                    "5" or "6" or "8" => "v" + variant,
                    _ => variant,
                });
            default:
                return (architecture, variant);
        }
    }

    // Go's GOOS and GOARCH lists (go/build/syslist.go), as containerd copies them.
    internal static bool IsKnownOS(string os) => os is
        "aix" or "android" or "darwin" or "dragonfly" or "freebsd" or "hurd" or "illumos" or "ios" or "js" or "linux"
        or "nacl" or "netbsd" or "openbsd" or "plan9" or "solaris" or "windows" or "zos";

    internal static bool IsKnownArchitecture(string architecture) => architecture is
        "386" or "amd64" or "amd64p32" or "arm" or "armbe" or "arm64" or "arm64be" or "ppc64" or "ppc64le" or "loong64"
        or "mips" or "mipsle" or "mips64" or "mips64le" or "mips64p32" or "mips64p32le" or "ppc" or "riscv" or "riscv64"
        or "s390" or "s390x" or "sparc" or "sparc64" or "wasm";
}
