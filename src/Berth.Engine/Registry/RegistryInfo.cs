using System.Net;
using Berth.Engine.Model;

namespace Berth.Engine.Registry;

/// <summary>docker info's RegistryConfig from the daemon's options, as dockerd fills it.</summary>
public static class RegistryInfo
{
    /// <summary>
    /// Insecure CIDRs (loopback's always, first), one index per insecure host name and Docker Hub's (secure,
    /// official, with the mirrors), and the mirrors with a trailing slash.
    /// </summary>
    public static RegistryServiceConfig Describe(EngineOptions options)
    {
        var mirrors = options.RegistryMirrors.Select(m => m.EndsWith('/') ? m : m + "/").ToList();
        var cidrs = new List<string> { "::1/128", "127.0.0.0/8" };
        var indexes = new Dictionary<string, IndexInfo?>
        {
            ["docker.io"] = new IndexInfo { Name = "docker.io", Mirrors = mirrors, Secure = true, Official = true },
        };
        foreach (string entry in options.InsecureRegistries)
        {
            int slash = entry.IndexOf('/');
            if (slash > 0 && IPAddress.TryParse(entry[..slash], out _))
            {
                if (!cidrs.Contains(entry))
                    cidrs.Add(entry);
            }
            else
            {
                indexes[entry] = new IndexInfo { Name = entry, Mirrors = [], Secure = false, Official = false };
            }
        }
        return new RegistryServiceConfig { InsecureRegistryCIDRs = cidrs, IndexConfigs = indexes, Mirrors = mirrors };
    }
}
