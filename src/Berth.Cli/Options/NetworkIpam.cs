using System.Net;
using System.Text.Json.Nodes;
using Berth.Cli.Client;

namespace Berth.Cli.Options;

/// <summary>create.go's consolidateIpam: subnets with their ranges, gateways and auxiliary addresses, docker's errors.</summary>
internal static class NetworkIpam
{
    public static JsonArray Consolidate(List<string> subnets, List<string> ranges, List<string> gateways, IReadOnlyDictionary<string, string> aux)
    {
        if (subnets.Count < ranges.Count || subnets.Count < gateways.Count)
            throw new CliException("every ip-range or gateway must have a corresponding subnet");
        var configs = new List<(string Subnet, JsonObject Config, SortedDictionary<string, string> Aux)>();
        foreach (var s in subnets)
        {
            foreach (var (k, _, _) in configs)
            {
                if (SubnetMatches(s, k) || SubnetMatches(k, s))
                    throw new CliException("multiple overlapping subnet configuration is not supported");
            }
            configs.Add((s, new JsonObject { ["Subnet"] = s }, new SortedDictionary<string, string>(StringComparer.Ordinal)));
        }
        Assign(configs, ranges, "IPRange", (r, existing, s) => $"cannot configure multiple ranges ({r}, {existing}) on the same subnet ({s})", r => $"no matching subnet for range {r}");
        Assign(configs, gateways, "Gateway", (g, existing, s) => $"cannot configure multiple gateways ({g}, {existing}) for the same subnet ({s})", g => $"no matching subnet for gateway {g}");
        foreach (var (key, address) in aux)
        {
            bool match = false;
            foreach (var (s, _, auxOfSubnet) in configs)
            {
                if (!SubnetMatches(s, address))
                    continue;
                auxOfSubnet[key] = address;
                match = true;
            }
            if (!match)
                throw new CliException($"no matching subnet for aux-address {address}");
        }
        var result = new JsonArray();
        foreach (var (_, config, auxOfSubnet) in configs)
        {
            // Go's field order: Subnet, IPRange, Gateway, AuxiliaryAddresses, each left out when empty.
            var ordered = new JsonObject { ["Subnet"] = config["Subnet"]!.GetValue<string>() };
            foreach (var key in new[] { "IPRange", "Gateway" })
            {
                if (config[key] is { } v)
                    ordered[key] = v.GetValue<string>();
            }
            if (auxOfSubnet.Count > 0)
            {
                var a = new JsonObject();
                foreach (var (k, v) in auxOfSubnet)
                    a[k] = v;
                ordered["AuxiliaryAddresses"] = a;
            }
            result.Add((JsonNode)ordered);
        }
        return result;
    }

    static void Assign(List<(string Subnet, JsonObject Config, SortedDictionary<string, string> Aux)> configs, List<string> values, string key,
        Func<string, string, string, string> twice, Func<string, string> unmatched)
    {
        foreach (var value in values)
        {
            bool match = false;
            foreach (var (s, config, _) in configs)
            {
                if (!SubnetMatches(s, value))
                    continue;
                if (config[key] is { } existing)
                    throw new CliException(twice(value, existing.GetValue<string>(), s));
                config[key] = value;
                match = true;
            }
            if (!match)
                throw new CliException(unmatched(value));
        }
    }

    /// <summary>subnetMatches: whether <paramref name="data"/> (an address, or a CIDR's address) lies in <paramref name="subnet"/>.</summary>
    static bool SubnetMatches(string subnet, string data)
    {
        if (!TryParseCidr(subnet, out var network, out int bits))
            throw new CliException($"invalid subnet: invalid CIDR address: {subnet}");
        IPAddress? ip;
        if (data.Contains('/'))
        {
            if (!TryParseCidr(data, out ip, out _))
                throw new CliException($"invalid CIDR address: {data}");
        }
        else
        {
            ip = TryParseIp(data);
        }
        if (ip is null)
            return false;
        if (ip.IsIPv4MappedToIPv6)
            ip = ip.MapToIPv4();
        if (ip.AddressFamily != network.AddressFamily)
            return false;
        byte[] a = network.GetAddressBytes(), b = ip.GetAddressBytes();
        for (int i = 0; i < a.Length; i++)
        {
            int keep = Math.Clamp(bits - i * 8, 0, 8);
            int mask = (0xFF << (8 - keep)) & 0xFF;
            if ((a[i] & mask) != (b[i] & mask))
                return false;
        }
        return true;
    }

    static bool TryParseCidr(string text, out IPAddress address, out int bits)
    {
        address = IPAddress.None;
        bits = 0;
        int slash = text.IndexOf('/');
        if (slash < 0 || TryParseIp(text[..slash]) is not { } ip)
            return false;
        string prefix = text[(slash + 1)..];
        int max = ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128;
        if (prefix.Length is 0 or > 3 || !prefix.All(char.IsAsciiDigit) || (bits = int.Parse(prefix, System.Globalization.CultureInfo.InvariantCulture)) > max)
            return false;
        address = ip;
        return true;
    }

    /// <summary>Go's net.ParseIP: dotted quads without leading zeros, or an IPv6 text; .NET's shorter IPv4 forms are not addresses.</summary>
    static IPAddress? TryParseIp(string text)
    {
        if (text.Contains(':'))
            return !text.Contains('%') && IPAddress.TryParse(text, out var v6) ? v6 : null;
        string[] parts = text.Split('.');
        if (parts.Length != 4 || parts.Any(p => p.Length is 0 or > 3 || !p.All(char.IsAsciiDigit) || (p.Length > 1 && p[0] == '0') || int.Parse(p, System.Globalization.CultureInfo.InvariantCulture) > 255))
            return null;
        return IPAddress.Parse(text);
    }
}
