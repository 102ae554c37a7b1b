using System.Globalization;
using System.Net;

namespace Berth.Build.Executor;

/// <summary>EXPOSE's port specs (go-connections' ParsePortSpec as Docker 20.10 runs it): the <c>port/proto</c> keys one word gives.</summary>
internal static class PortSpecs
{
    public static IEnumerable<string> Parse(string raw)
    {
        string[] parts = raw.Split(':');
        string ip = parts.Length >= 3 ? string.Join(':', parts[..^2]) : "";
        string containerPort = parts[^1];
        string[] protoParts = containerPort.Split('/');
        string proto = "", port = "";
        if (containerPort.Length > 0 && protoParts[0].Length > 0)
        {
            port = protoParts[0];
            proto = protoParts.Length == 1 || protoParts[1].Length == 0 ? "tcp" : protoParts[1];
        }
        if (ip.StartsWith('[') && ip.EndsWith(']'))
            ip = ip[1..^1];
        if (ip.Length > 0 && !IPAddress.TryParse(ip, out _))
            throw new BuildException($"Invalid ip address: {ip}");
        if (port.Length == 0)
            throw new BuildException($"No port specified: {raw}<empty>");
        if (!TryRange(port, out int start, out int end))
            throw new BuildException($"Invalid containerPort: {port}");
        proto = proto.ToLowerInvariant();
        if (proto is not ("tcp" or "udp" or "sctp"))
            throw new BuildException($"Invalid proto: {proto}");
        return Enumerable.Range(start, end - start + 1).Select(p => p.ToString(CultureInfo.InvariantCulture) + "/" + proto);
    }

    static bool TryRange(string ports, out int start, out int end)
    {
        start = end = 0;
        int dash = ports.IndexOf('-');
        if (dash < 0)
            return TryPort(ports, out start) && (end = start) == start;
        return TryPort(ports[..dash], out start) && TryPort(ports[(dash + 1)..], out end) && end >= start;
    }

    // Go's strconv.ParseUint(s, 10, 16).
    static bool TryPort(string s, out int port)
    {
        port = 0;
        return s.Length > 0 && s.All(char.IsAsciiDigit) && int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port <= ushort.MaxValue;
    }
}
