using System.Globalization;

namespace Berth.Engine.Security;

/// <summary>
/// A kernel's version and major revision, the part of a release a profile's <c>minKernel</c> compares:
/// "6.1.0-18-amd64", "6.1-rc5" and "6.1" are all 6.1.
/// </summary>
public readonly record struct KernelRelease(int Version, int Major)
{
    /// <summary>This machine's kernel (uname's release).</summary>
    public static KernelRelease Host { get; } = new(Environment.OSVersion.Version.Major, Math.Max(Environment.OSVersion.Version.Minor, 0));

    public bool IsAtLeast(KernelRelease minimum) => Version > minimum.Version || (Version == minimum.Version && Major >= minimum.Major);

    /// <summary>A profile's <c>minKernel</c>: "&lt;kernel&gt;.&lt;major&gt;", each at most 255, not 0.0; "" is no minimum (0.0), as in Go.</summary>
    /// <exception cref="EngineException">Docker's decoding error.</exception>
    public static KernelRelease ParseMinimum(string text)
    {
        if (text.Length == 0)
            return default;
        var parts = text.Split('.', 3);
        if (parts.Length != 2)
            throw Invalid(text, "");
        int version = ParseByte(text, parts[0]);
        int major = ParseByte(text, parts[1]);
        if (version == 0 && major == 0)
            throw Invalid(text, ": version cannot be 0.0");
        return new KernelRelease(version, major);
    }

    // Go's strconv.ParseUint(s, 10, 8), with its error.
    static int ParseByte(string text, string part)
    {
        if (part.Length == 0 || !part.All(char.IsAsciiDigit))
            throw Invalid(text, $": strconv.ParseUint: parsing \"{part}\": invalid syntax");
        if (!byte.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out byte value))
            throw Invalid(text, $": strconv.ParseUint: parsing \"{part}\": value out of range");
        return value;
    }

    static EngineException Invalid(string text, string why)
        => EngineException.Invalid($"Decoding seccomp profile failed: invalid kernel version: \"{text}\", expected \"<kernel>.<major>\"{why}");

    public override string ToString() => $"{Version}.{Major}";
}
