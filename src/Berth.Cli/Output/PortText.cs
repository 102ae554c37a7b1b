using Berth.Cli.Client;
using Berth.Engine.Model;

namespace Berth.Cli.Output;

/// <summary>docker's DisplayablePorts: "0.0.0.0:80->80/tcp, 9000-9001/tcp", consecutive ports grouped.</summary>
internal static class PortText
{
    public static string Displayable(IEnumerable<ContainerPort>? ports)
    {
        if (ports is null)
            return "";
        var sorted = ports.OrderBy(p => p.PrivatePort).ThenBy(p => p.IP ?? "", StringComparer.Ordinal)
            .ThenBy(p => p.PublicPort).ThenBy(p => p.Type, StringComparer.Ordinal).ToList();
        var groups = new Dictionary<string, (int First, int Last)>();
        var order = new List<string>();
        var result = new List<string>();
        var hostMappings = new List<string>();
        foreach (var port in sorted)
        {
            int current = port.PrivatePort;
            string key = port.Type;
            if (!string.IsNullOrEmpty(port.IP))
            {
                if (port.PublicPort != current)
                {
                    hostMappings.Add($"{JoinHostPort(port.IP, port.PublicPort.ToString())}->{port.PrivatePort}/{port.Type}");
                    continue;
                }
                key = port.IP + "/" + port.Type;
            }
            if (!groups.TryGetValue(key, out var group))
            {
                groups[key] = (current, current);
                order.Add(key);
                continue;
            }
            if (current == group.Last + 1)
            {
                groups[key] = (group.First, current);
                continue;
            }
            result.Add(FormGroup(key, group.First, group.Last));
            groups[key] = (current, current);
        }
        foreach (var key in order)
            result.Add(FormGroup(key, groups[key].First, groups[key].Last));
        result.AddRange(hostMappings);
        return string.Join(", ", result);
    }

    static string FormGroup(string key, int first, int last)
    {
        string[] parts = key.Split('/');
        string type = parts[0];
        string ip = "";
        if (parts.Length > 1)
        {
            ip = parts[0];
            type = parts[1];
        }
        string group = first.ToString();
        if (first != last)
            group = $"{group}-{last}";
        if (ip.Length > 0)
            group = $"{JoinHostPort(ip, group)}->{group}";
        return group + "/" + type;
    }

    /// <summary>
    /// docker port's lines (cli/command/container/port.go): every binding as "80/tcp -> 0.0.0.0:8080", or the host
    /// addresses of one port ("80" is "80/tcp"), in natural order; an empty host IP stays empty (":8080").
    /// </summary>
    public static string PortLines(IReadOnlyDictionary<string, List<PortBinding>?> ports, string? wanted, string container)
    {
        var lines = new List<string>();
        if (wanted is not null)
        {
            int slash = wanted.IndexOf('/');
            string port = slash < 0 ? wanted : wanted[..slash];
            string proto = slash < 0 || slash == wanted.Length - 1 ? "tcp" : wanted[(slash + 1)..];
            if (!Options.ContainerOptions.TryParsePort(port, out _, out string error))
                throw new CliException($"Error: invalid port ({port}): {error}");
            if (!ports.TryGetValue(port + "/" + proto, out var bindings) || bindings is not { Count: > 0 })
                throw new CliException($"Error: No public port '{wanted}' published for {container}");
            lines.AddRange(bindings.Select(b => JoinHostPort(b.HostIp, b.HostPort)));
        }
        else
        {
            foreach (var (port, bindings) in ports)
                lines.AddRange((bindings ?? []).Select(b => $"{port} -> {JoinHostPort(b.HostIp, b.HostPort)}"));
        }
        return string.Join('\n', lines.OrderBy(l => l, NaturalOrder.Comparer));
    }

    /// <summary>Go's net.JoinHostPort: an IPv6 host in brackets.</summary>
    static string JoinHostPort(string host, string port) => host.Contains(':') ? $"[{host}]:{port}" : $"{host}:{port}";
}
