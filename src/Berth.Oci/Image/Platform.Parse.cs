namespace Berth.Oci.Image;

/// <summary>Platform specifiers (<c>linux/arm64/v8</c>, <c>arm64</c>, <c>linux</c>) as containerd's <c>platforms.Parse</c> reads them.</summary>
public sealed partial record Platform
{
    /// <summary>
    /// Parses <c>&lt;os&gt;[(&lt;os.version&gt;)]</c>, <c>&lt;arch&gt;</c>, or <c>&lt;os&gt;/&lt;arch&gt;[/&lt;variant&gt;]</c>.
    /// A lone OS gets the host's architecture, a lone known architecture the OS <c>linux</c>; the architecture is
    /// normalised (<c>x86_64</c> is <c>amd64</c>), <c>arm</c>'s default variant v7 is left out, and an explicit
    /// <c>arm64</c> variant is kept (<c>linux/arm64/v8</c> has variant <c>v8</c>).
    /// </summary>
    /// <exception cref="FormatException">
    /// containerd's message, e.g. <c>"linux/x/y/z": cannot parse platform specifier: invalid argument</c>.
    /// </exception>
    public static Platform Parse(string specifier) =>
        TryParse(specifier, out Platform? platform, out string? error) ? platform : throw new FormatException(error);

    public static bool TryParse(string specifier, out Platform platform) => TryParse(specifier, out platform, out _);

    public static bool TryParse(string specifier, out Platform platform, out string? error)
    {
        platform = new Platform();
        error = null;
        string quoted = GoQuote.Quote(specifier);
        if (specifier.Contains('*'))
        {
            error = $"{quoted}: wildcards not yet supported: invalid argument";
            return false;
        }
        string[] parts = specifier.Split('/', 4);
        if (!TrySplitOS(parts[0], out string os, out string osVersion))
        {
            error = $"{GoQuote.Quote(parts[0])} is an invalid OS component of {quoted}: OSAndVersion specifier component must match "
                + "\"^([A-Za-z0-9_-]+)(?:\\\\(([A-Za-z0-9_.-]*)\\\\))?$\": invalid argument";
            return false;
        }
        foreach (string part in parts.AsSpan(1))
        {
            if (!IsComponent(part))
            {
                error = $"{GoQuote.Quote(part)} is an invalid component of {quoted}: platform specifier component must match "
                    + "\"^[A-Za-z0-9_.-]+$\": invalid argument";
                return false;
            }
        }
        os = NormalizeOS(os);
        string? version = osVersion.Length == 0 ? null : osVersion;
        string architecture, variant;
        switch (parts.Length)
        {
            case 1:
                if (IsKnownOS(os))
                {
                    Platform host = Host;
                    platform = new Platform
                    {
                        OS = os,
                        OSVersion = version,
                        Architecture = host.Architecture,
                        Variant = host.Architecture == "arm" && host.Variant != "v7" ? host.Variant : null,
                    };
                    return true;
                }
                (architecture, variant) = NormalizeArchitecture(parts[0], "");
                if (!IsKnownArchitecture(architecture))
                {
                    error = $"{quoted}: unknown operating system or architecture: invalid argument";
                    return false;
                }
                platform = new Platform { OS = "linux", Architecture = architecture, Variant = DefaultArmVariantDropped(architecture, variant) };
                return true;
            case 2:
                (architecture, variant) = NormalizeArchitecture(parts[1], "");
                platform = new Platform
                {
                    OS = os,
                    OSVersion = version,
                    Architecture = architecture,
                    Variant = DefaultArmVariantDropped(architecture, variant),
                };
                return true;
            case 3:
                (architecture, variant) = NormalizeArchitecture(parts[1], parts[2]);
                if (architecture == "arm64" && variant.Length == 0)
                {
                    variant = "v8"; // said explicitly, so kept
                }
                platform = new Platform { OS = os, OSVersion = version, Architecture = architecture, Variant = variant.Length == 0 ? null : variant };
                return true;
            default:
                error = $"{quoted}: cannot parse platform specifier: invalid argument";
                return false;
        }
    }

    private static string? DefaultArmVariantDropped(string architecture, string variant) =>
        variant.Length == 0 || (architecture == "arm" && variant == "v7") ? null : variant;

    // ^([A-Za-z0-9_-]+)(?:\(([A-Za-z0-9_.-]*)\))?$
    private static bool TrySplitOS(string part, out string os, out string version)
    {
        os = part;
        version = "";
        int open = part.IndexOf('(');
        if (open >= 0)
        {
            if (!part.EndsWith(')'))
            {
                return false;
            }
            os = part[..open];
            version = part[(open + 1)..^1];
            if (!version.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-'))
            {
                return false;
            }
        }
        return os.Length > 0 && os.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');
    }

    // ^[A-Za-z0-9_.-]+$
    private static bool IsComponent(string part) => part.Length > 0 && part.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-');
}
