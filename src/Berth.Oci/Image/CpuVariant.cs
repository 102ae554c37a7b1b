namespace Berth.Oci.Image;

/// <summary>
/// The ARM variant of the host CPU as containerd reads it (cpuinfo_linux.go): the first <c>CPU architecture</c> line of
/// /proc/cpuinfo, else the machine name (<c>aarch64</c>, <c>armv7l</c>); a Raspberry Pi ARMv6 reports 7 and is corrected.
/// </summary>
internal static class CpuVariant
{
    /// <summary>v3 to v8, or <c>unknown</c> as containerd's getCPUVariant; null when neither source names an ARM CPU
    /// (containerd logs the error and leaves the variant empty).</summary>
    public static string? Detect(string goArchitecture, string? cpuInfo, string? machine)
    {
        string? variant = Field(cpuInfo, "Cpu architecture") ?? FromMachine(machine);
        if (variant is null)
        {
            return null;
        }
        if (goArchitecture == "arm" && variant == "7"
            && Field(cpuInfo, "model name")?.StartsWith("armv6-compatible", StringComparison.OrdinalIgnoreCase) == true)
        {
            variant = "6";
        }
        return variant.ToLowerInvariant() switch
        {
            "8" or "aarch64" => "v8",
            "7" or "7m" or "?(12)" or "?(13)" or "?(14)" or "?(15)" or "?(16)" or "?(17)" => "v7",
            "6" or "6tej" => "v6",
            "5" or "5t" or "5te" or "5tej" => "v5",
            "4" or "4t" => "v4",
            "3" => "v3",
            _ => "unknown",
        };
    }

    // The value of the first "name : value" line whose name matches, case-insensitively.
    internal static string? Field(string? cpuInfo, string name)
    {
        if (cpuInfo is null)
        {
            return null;
        }
        foreach (string line in cpuInfo.Split('\n'))
        {
            string[] parts = line.Split(':');
            if (parts.Length > 1 && parts[0].Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return parts[1].Trim();
            }
        }
        return null;
    }

    private static string? FromMachine(string? machine)
    {
        if (machine is null)
        {
            return null;
        }
        machine = machine.ToLowerInvariant();
        if (machine == "aarch64")
        {
            return "8";
        }
        if (machine.Length >= 5 && machine.StartsWith("armv", StringComparison.Ordinal))
        {
            return machine[4] is >= '3' and <= '8' ? machine[4].ToString() : "unknown";
        }
        return null;
    }
}
