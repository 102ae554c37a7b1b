using System.Globalization;
using System.Net;
using Berth.Cli.Client;
using Berth.Engine.Model;

namespace Berth.Cli.Options;

/// <summary>
/// -p/--publish and --expose as docker reads them: its long syntax converted first (convertToStandardNotation),
/// then go-connections' nat.ParsePortSpecs; every error a <see cref="CliException"/> with docker's words.
/// </summary>
internal sealed partial class ContainerOptions
{
    /// <summary>The exposed ports and host bindings of the -p values, bindings of one port in the order given.</summary>
    public static (SortedDictionary<string, EmptyObject> Exposed, SortedDictionary<string, List<PortBinding>?> Bindings) ParsePublish(IEnumerable<string> specs)
    {
        var exposed = new SortedDictionary<string, EmptyObject>(StringComparer.Ordinal);
        var bindings = new SortedDictionary<string, List<PortBinding>?>(StringComparer.Ordinal);
        foreach (var spec in specs)
        {
            foreach (var (port, binding) in ParsePortSpec(StandardNotation(spec)))
            {
                exposed[port] = new EmptyObject();
                if (!bindings.TryGetValue(port, out var list) || list is null)
                    bindings[port] = list = [];
                list.Add(binding);
            }
        }
        return (exposed, bindings);
    }

    /// <summary>--expose port[-port][/proto] added to <paramref name="exposed"/> (the protocol is not checked, as in docker).</summary>
    public static void AddExposed(IDictionary<string, EmptyObject> exposed, string spec)
    {
        if (spec.Contains(':'))
            throw new CliException($"invalid port format for --expose: {spec}");
        var (proto, port) = SplitProtoPort(spec);
        if (!TryParsePortRange(port, out uint start, out uint end, out string error))
            throw new CliException($"invalid range format for --expose: {spec}, error: {error}");
        for (uint p = start; p <= end; p++)
            exposed[p.ToString(CultureInfo.InvariantCulture) + "/" + proto] = new EmptyObject();
    }

    /// <summary>"published=8080,target=80,protocol=udp" to "8080:80/udp"; the short syntax as it is.</summary>
    static string StandardNotation(string spec)
    {
        if (!spec.Contains('='))
            return spec;
        var values = new Dictionary<string, string>(StringComparer.Ordinal) { ["protocol"] = "tcp" };
        foreach (var param in spec.Split(','))
        {
            int eq = param.IndexOf('=');
            if (eq <= 0)
                throw new CliException($"invalid publish opts format (should be name=value but got '{param}')");
            values[param[..eq]] = param[(eq + 1)..];
        }
        return $"{values.GetValueOrDefault("published", "")}:{values.GetValueOrDefault("target", "")}/{values["protocol"]}";
    }

    /// <summary>nat.ParsePortSpec: [ip:][hostPort:]containerPort[/proto], ranges on both sides.</summary>
    static IEnumerable<(string Port, PortBinding Binding)> ParsePortSpec(string raw)
    {
        string[] parts = raw.Split(':');
        int n = parts.Length;
        string ip = n > 2 ? string.Join(':', parts[..(n - 2)]) : "";
        string hostPort = n > 1 ? parts[n - 2] : "";
        var (proto, containerPort) = SplitProtoPort(parts[n - 1]);
        if (ip.StartsWith('['))
        {
            int close = ip.IndexOf(']');
            if (close != ip.Length - 1)
                throw new CliException($"invalid IP address {ip}: address {ip}:: missing ']' in address");
            ip = ip[1..close];
        }
        if (ip.Length > 0 && !IPAddress.TryParse(ip, out _))
            throw new CliException("invalid IP address: " + ip);
        if (containerPort.Length == 0)
            throw new CliException($"no port specified: {raw}<empty>");
        if (!TryParsePortRange(containerPort, out uint start, out uint end, out _))
            throw new CliException("invalid containerPort: " + containerPort);
        uint hostStart = 0, hostEnd = 0;
        if (hostPort.Length > 0 && !TryParsePortRange(hostPort, out hostStart, out hostEnd, out _))
            throw new CliException("invalid hostPort: " + hostPort);
        // A host range beside one container port is the range to pick the host port from.
        if (hostPort.Length > 0 && end - start != hostEnd - hostStart && end != start)
            throw new CliException($"invalid ranges specified for container and host Ports: {containerPort} and {hostPort}");
        string lowerProto = proto.ToLowerInvariant();
        if (lowerProto is not ("tcp" or "udp" or "sctp"))
            throw new CliException("invalid proto: " + proto);
        var result = new List<(string, PortBinding)>();
        for (uint i = 0; i <= end - start; i++)
        {
            if (hostPort.Length > 0)
                hostPort = (hostStart + i).ToString(CultureInfo.InvariantCulture);
            if (start == end && hostStart != hostEnd)
                hostPort = $"{hostPort}-{hostEnd}";
            result.Add(((start + i).ToString(CultureInfo.InvariantCulture) + "/" + lowerProto, new PortBinding { HostIp = ip, HostPort = hostPort }));
        }
        return result;
    }

    /// <summary>nat.SplitProtoPort: "80/udp" to (udp, 80); no protocol is tcp; an empty port gives ("", "").</summary>
    static (string Proto, string Port) SplitProtoPort(string raw)
    {
        string[] parts = raw.Split('/');
        if (raw.Length == 0 || parts[0].Length == 0)
            return ("", "");
        if (parts.Length == 1)
            return ("tcp", raw);
        return parts[1].Length == 0 ? ("tcp", parts[0]) : (parts[1], parts[0]);
    }

    /// <summary>nat.ParsePortRange: "8000" or "8000-9000" (a third part is ignored, as there), with strconv's errors.</summary>
    static bool TryParsePortRange(string ports, out uint start, out uint end, out string error)
    {
        start = end = 0;
        if (ports.Length == 0)
        {
            error = "empty string specified for ports";
            return false;
        }
        string[] parts = ports.Split('-');
        if (!TryParsePort(parts[0], out start, out error))
            return false;
        end = start;
        if (parts.Length == 1)
            return true;
        if (!TryParsePort(parts[1], out end, out error))
            return false;
        if (end < start)
        {
            error = "invalid range specified for port: " + ports;
            return false;
        }
        return true;
    }

    /// <summary>strconv.ParseUint(s, 10, 16) and its error text.</summary>
    public static bool TryParsePort(string s, out uint port, out string error)
    {
        port = 0;
        error = "";
        if (s.Length == 0 || !s.All(char.IsAsciiDigit))
        {
            error = $"strconv.ParseUint: parsing {CommandLine.GoStrconv.GoQuote(s)}: invalid syntax";
            return false;
        }
        if (!uint.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port > ushort.MaxValue)
        {
            port = 0;
            error = $"strconv.ParseUint: parsing {CommandLine.GoStrconv.GoQuote(s)}: value out of range";
            return false;
        }
        return true;
    }
}
