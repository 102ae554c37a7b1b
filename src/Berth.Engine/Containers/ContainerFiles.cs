using System.Text;

namespace Berth.Engine.Containers;

/// <summary>
/// The files Docker bind-mounts into every container from its directory: /etc/hostname,
/// /etc/hosts and /etc/resolv.conf (the host's, without loopback name servers, with --dns and
/// friends applied), written as dockerd writes them.
/// </summary>
public static class ContainerFiles
{
    public static string HostnamePath(Container c) => Path.Combine(c.Directory, "hostname");

    public static string HostsPath(Container c) => Path.Combine(c.Directory, "hosts");

    public static string ResolvConfPath(Container c) => Path.Combine(c.Directory, "resolv.conf");

    public static void Write(Container container, EngineOptions options)
    {
        var config = container.Record.Config;
        var host = container.Record.HostConfig;
        string hostname = config.Hostname ?? container.Record.ShortId;
        File.WriteAllText(HostnamePath(container), hostname + "\n");

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
                throw EngineException.Invalid("host-gateway needs a bridge network (not available yet)");
            if (!System.Net.IPAddress.TryParse(ip, out _))
                throw EngineException.Invalid($"invalid IP address in add-host: \"{ip}\"");
            hosts.Append(ip).Append('\t').Append(extra[..colon]).Append('\n');
        }
        File.WriteAllText(HostsPath(container), hosts.ToString());

        File.WriteAllText(ResolvConfPath(container), ResolvConf(host.Dns, host.DnsSearch, host.DnsOptions));
    }

    static string ResolvConf(IEnumerable<string>? dns, IEnumerable<string>? search, IEnumerable<string>? dnsOptions)
    {
        var servers = new List<string>();
        var searches = new List<string>();
        var opts = new List<string>();
        string hostFile = "/etc/resolv.conf";
        if (File.Exists(hostFile))
        {
            foreach (string raw in File.ReadLines(hostFile))
            {
                var fields = raw.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length < 2)
                    continue;
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
        }
        if (dns?.Any() == true)
            servers = [.. dns];
        if (search?.Any() == true)
            searches = [.. search.Where(s => s != ".")];
        if (dnsOptions?.Any() == true)
            opts = [.. dnsOptions];
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
