using Berth.Oci.Image;

namespace Berth.Oci.Tests.Image;

/// <summary>
/// Platform specifiers and normalisation, ported from containerd/platforms platforms_test.go (TestParseSelector,
/// TestParseSelectorInvalid) in the version moby vendors; the host's architecture stands in for runtime.GOARCH.
/// </summary>
public sealed class PlatformParseTests
{
    private static readonly string HostArch = Platform.Host.Architecture;

    [Theory]
    // input, os, architecture, variant, os.version, formatted
    [InlineData("linux/arm64", "linux", "arm64", null, null, "linux/arm64")]
    [InlineData("linux/arm64/v8", "linux", "arm64", "v8", null, "linux/arm64/v8")]
    [InlineData("linux/aarch64", "linux", "arm64", null, null, "linux/arm64")]
    [InlineData("linux/arm", "linux", "arm", null, null, "linux/arm")]
    [InlineData("linux/arm/v6", "linux", "arm", "v6", null, "linux/arm/v6")]
    [InlineData("linux/arm/v7", "linux", "arm", "v7", null, "linux/arm/v7")]
    [InlineData("arm", "linux", "arm", null, null, "linux/arm")]
    [InlineData("armel", "linux", "arm", "v6", null, "linux/arm/v6")]
    [InlineData("armhf", "linux", "arm", null, null, "linux/arm")]
    [InlineData("Aarch64", "linux", "arm64", null, null, "linux/arm64")]
    [InlineData("x86_64", "linux", "amd64", null, null, "linux/amd64")]
    [InlineData("Linux/x86_64", "linux", "amd64", null, null, "linux/amd64")]
    [InlineData("linux/x86-64", "linux", "amd64", null, null, "linux/amd64")]
    [InlineData("i386", "linux", "386", null, null, "linux/386")]
    [InlineData("s390x", "linux", "s390x", null, null, "linux/s390x")]
    [InlineData("linux/s390x", "linux", "s390x", null, null, "linux/s390x")]
    [InlineData("linux/amd64/v3", "linux", "amd64", "v3", null, "linux/amd64/v3")]
    [InlineData("linux/amd64/v1", "linux", "amd64", null, null, "linux/amd64")]
    [InlineData("linux/riscv64", "linux", "riscv64", null, null, "linux/riscv64")]
    [InlineData("windows(10.0.17763)/amd64", "windows", "amd64", null, "10.0.17763", "windows/amd64")]
    public void Parses_specifiers(string input, string os, string architecture, string? variant, string? osVersion, string formatted)
    {
        Platform platform = Platform.Parse(input);

        Assert.Equal(new Platform { OS = os, Architecture = architecture, Variant = variant, OSVersion = osVersion }, platform);
        Assert.Equal(formatted, platform.ToString());
        Assert.Equal(platform, Platform.Parse(formatted) with { OSVersion = osVersion });
    }

    [Theory]
    [InlineData("linux")]
    [InlineData("macOS")]
    [InlineData("windows")]
    [InlineData("windows()")]
    public void A_lone_os_takes_the_hosts_architecture(string input)
    {
        Platform platform = Platform.Parse(input);

        Assert.Equal(input.StartsWith("mac", StringComparison.Ordinal) ? "darwin" : input.TrimEnd('(', ')'), platform.OS);
        Assert.Equal(HostArch, platform.Architecture);
        Assert.Null(platform.OSVersion);
    }

    [Fact]
    public void An_os_version_is_kept()
    {
        Assert.Equal("10.0.17763", Platform.Parse("windows(10.0.17763)").OSVersion);
    }

    [Theory]
    [InlineData("", "\"\" is an invalid OS component of \"\": OSAndVersion specifier component must match \"^([A-Za-z0-9_-]+)(?:\\\\(([A-Za-z0-9_.-]*)\\\\))?$\": invalid argument")]
    [InlineData("/linux/arm", "\"\" is an invalid OS component of \"/linux/arm\": OSAndVersion specifier component must match \"^([A-Za-z0-9_-]+)(?:\\\\(([A-Za-z0-9_.-]*)\\\\))?$\": invalid argument")]
    [InlineData("linux/arm/", "\"\" is an invalid component of \"linux/arm/\": platform specifier component must match \"^[A-Za-z0-9_.-]+$\": invalid argument")]
    [InlineData("linux /arm", "\"linux \" is an invalid OS component of \"linux /arm\": OSAndVersion specifier component must match \"^([A-Za-z0-9_-]+)(?:\\\\(([A-Za-z0-9_.-]*)\\\\))?$\": invalid argument")]
    [InlineData("linux/&arm", "\"&arm\" is an invalid component of \"linux/&arm\": platform specifier component must match \"^[A-Za-z0-9_.-]+$\": invalid argument")]
    [InlineData("linux/arm/foo/bar", "\"linux/arm/foo/bar\": cannot parse platform specifier: invalid argument")]
    [InlineData("*", "\"*\": wildcards not yet supported: invalid argument")]
    [InlineData("linux/*", "\"linux/*\": wildcards not yet supported: invalid argument")]
    [InlineData("toaster", "\"toaster\": unknown operating system or architecture: invalid argument")]
    public void Refuses_what_containerd_refuses_with_its_words(string input, string error)
    {
        Assert.False(Platform.TryParse(input, out _, out string? message));
        Assert.Equal(error, message);
        Assert.Equal(error, Assert.Throws<FormatException>(() => Platform.Parse(input)).Message);
    }

    [Theory]
    // architecture, variant -> normalised architecture, variant (containerd database.go normalizeArch)
    [InlineData("x86_64", null, "amd64", null)]
    [InlineData("AMD64", "V1", "amd64", null)]
    [InlineData("amd64", "v2", "amd64", "v2")]
    [InlineData("i386", "v7", "386", null)]
    [InlineData("aarch64", null, "arm64", null)]
    [InlineData("arm64", "8", "arm64", null)]
    [InlineData("arm64", "v8", "arm64", null)]
    [InlineData("arm64", "v8.0", "arm64", null)]
    [InlineData("arm64", "v8.2", "arm64", "v8.2")]
    [InlineData("arm64", "9", "arm64", "v9")]
    [InlineData("arm64", "v9.0", "arm64", "v9")]
    [InlineData("armhf", null, "arm", "v7")]
    [InlineData("armel", null, "arm", "v6")]
    [InlineData("arm", null, "arm", "v7")]
    [InlineData("arm", "7", "arm", "v7")]
    [InlineData("arm", "5", "arm", "v5")]
    [InlineData("arm", "6", "arm", "v6")]
    [InlineData("arm", "8", "arm", "v8")]
    [InlineData("ppc64le", null, "ppc64le", null)]
    public void Normalizes_architectures(string architecture, string? variant, string expected, string? expectedVariant)
    {
        Platform normalized = new Platform { OS = "Linux", Architecture = architecture, Variant = variant }.Normalize();

        Assert.Equal(new Platform { OS = "linux", Architecture = expected, Variant = expectedVariant }, normalized);
    }

    [Theory]
    [InlineData("", "linux")]
    [InlineData("MacOS", "darwin")]
    [InlineData("Windows", "windows")]
    public void Normalizes_operating_systems(string os, string expected)
    {
        Assert.Equal(expected, new Platform { OS = os, Architecture = "amd64" }.Normalize().OS);
    }

    [Fact]
    public void Equality_treats_absent_and_empty_alike_and_compares_lists_by_content()
    {
        Assert.Equal(new Platform { OS = "linux", Architecture = "arm64", Variant = "" }, new Platform { OS = "linux", Architecture = "arm64" });
        Assert.Equal(new Platform { OS = "windows", OSFeatures = ["win32k"] }, new Platform { OS = "windows", OSFeatures = new List<string> { "win32k" } });
        Assert.NotEqual(new Platform { OS = "linux", Architecture = "arm", Variant = "v6" }, new Platform { OS = "linux", Architecture = "arm" });
    }

    [Fact]
    public void Unknown_platform_formats_as_unknown()
    {
        Assert.Equal("unknown", new Platform().ToString());
        Assert.Equal("unknown/unknown", new Platform { OS = "unknown", Architecture = "unknown" }.ToString());
    }
}
