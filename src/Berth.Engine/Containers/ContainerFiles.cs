using System.Text;

namespace Berth.Engine.Containers;

/// <summary>
/// The files Docker bind-mounts into every container from its directory: /etc/hostname,
/// /etc/hosts and /etc/resolv.conf (the host's, without loopback name servers, with --dns and
/// friends applied), written as dockerd writes them.
/// </summary>
public static class ContainerFiles
{
    const string EmbeddedDnsAddress = "127.0.0.11";

    /// <summary>The host's name servers (all of them: the engine forwards from the host, where loopback ones work too).</summary>
    public static IReadOnlyList<string> HostNameServers()
    {
        return [.. HostResolvConf().Where(f => f[0] == "nameserver").Select(f => f[1])];
    }

    /// <summary>The host's /etc/resolv.conf as the fields of its lines with a keyword and a value.</summary>
    static IEnumerable<string[]> HostResolvConf()
    {
        const string hostFile = "/etc/resolv.conf";
        if (!File.Exists(hostFile))
            return [];
        return File.ReadLines(hostFile)
            .Select(l => l.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length >= 2);
    }

    public static string HostnamePath(Container c) => Path.Combine(c.Directory, "hostname");

    public static string HostsPath(Container c) => Path.Combine(c.Directory, "hosts");

    public static string ResolvConfPath(Container c) => Path.Combine(c.Directory, "resolv.conf");

    /// <param name="embeddedDns">On a user-defined network: the container asks the engine's resolver at 127.0.0.11, as Docker's do.</param>
    /// <param name="hostGateway">What --add-host's "host-gateway" means: the default bridge's gateway address.</param>
    public static void Write(Container container, bool embeddedDns, string? hostGateway)
    {
        var config = container.Record.Config;
        var host = container.Record.HostConfig;
        string hostname = config.Hostname ?? container.Record.ShortId;
        File.WriteAllText(HostnamePath(container), hostname + "\n");
        WriteHosts(container, null, hostGateway, []);
        File.WriteAllText(ResolvConfPath(container), ResolvConf(host.Dns, host.DnsSearch, host.DnsOptions, embeddedDns));
    }

    /// <summary>/etc/hosts as Docker writes it, with the container's own address and host name once it has one (at start).</summary>
    /// <param name="links">Legacy links: an address and the names it answers to.</param>
    /// <param name="ownAddress6">The container's IPv6 address on that network (one with IPv6): a second line for its host name, as dockerd writes.</param>
    public static void WriteHosts(Container container, string? ownAddress, string? hostGateway, IReadOnlyList<(string Address, string Names)> links, string? ownAddress6 = null)
    {
        var config = container.Record.Config;
        var host = container.Record.HostConfig;
        string hostname = config.Hostname ?? container.Record.ShortId;
        var hosts = new StringBuilder();
        hosts.Append("127.0.0.1\tlocalhost\n");
        hosts.Append("::1\tlocalhost ip6-localhost ip6-loopback\n");
        hosts.Append("fe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n");
        foreach (string extra in host.ExtraHosts ?? [])
        {
            int colon = extra.IndexOf(':');
            if (colon <= 0)
                throw EngineException.Invalid($"invalid IP address in add-host: \"{extra}\"");
            string ip = extra[(colon + 1)..];
            if (ip == "host-gateway")
                ip = hostGateway ?? throw EngineException.Invalid("unable to derive the IP value for host-gateway");
            if (!System.Net.IPAddress.TryParse(ip, out _))
                throw EngineException.Invalid($"invalid IP address in add-host: \"{ip}\"");
            hosts.Append(ip).Append('\t').Append(extra[..colon]).Append('\n');
        }
        foreach (var (address, names) in links)
            hosts.Append(address).Append('\t').Append(names).Append('\n');
        foreach (string? own in (string?[])[ownAddress, string.IsNullOrEmpty(ownAddress) ? null : ownAddress6])
        {
            if (string.IsNullOrEmpty(own))
                continue;
            hosts.Append(own).Append('\t').Append(hostname);
            if (!string.IsNullOrEmpty(config.Domainname))
                hosts.Append('.').Append(config.Domainname).Append(' ').Append(hostname);
            hosts.Append('\n');
        }
        File.WriteAllText(HostsPath(container), hosts.ToString());
    }

    static string ResolvConf(IEnumerable<string>? dns, IEnumerable<string>? search, IEnumerable<string>? dnsOptions, bool embeddedDns)
    {
        var servers = new List<string>();
        var searches = new List<string>();
        var opts = new List<string>();
        foreach (var fields in HostResolvConf())
        {
            switch (fields[0])
            {
                case "nameserver" when !fields[1].StartsWith("127.", StringComparison.Ordinal) && fields[1] != "::1":
                    servers.Add(fields[1]);
                    break;
                case "search" or "domain":
                    searches = [.. fields[1..]];
                    break;
                case "options":
                    opts.AddRange(fields[1..]);
                    break;
            }
        }
        if (dns?.Any() == true)
            servers = [.. dns];
        if (search?.Any() == true)
            searches = [.. search.Where(s => s != ".")];
        if (dnsOptions?.Any() == true)
            opts = [.. dnsOptions];
        if (embeddedDns)
        {
            // The resolver forwards to the other servers itself; ndots:0 lets a container's bare name resolve first.
            servers = [EmbeddedDnsAddress];
            if (!opts.Any(o => o.StartsWith("ndots:", StringComparison.Ordinal)))
                opts.Insert(0, "ndots:0");
        }
        var text = new StringBuilder();
        foreach (string s in servers)
            text.Append("nameserver ").Append(s).Append('\n');
        if (searches.Count > 0)
            text.Append("search ").AppendJoin(' ', searches).Append('\n');
        if (opts.Count > 0)
            text.Append("options ").AppendJoin(' ', opts).Append('\n');
        return text.ToString();
    }
}
