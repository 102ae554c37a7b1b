using System.Globalization;

namespace Berth.Cli.Client;

/// <summary>
/// Where berthd listens, parsed as docker parses -H and DOCKER_HOST (opts.ParseHost): unix:///path, tcp://host:port
/// (port 2375, or 2376 with TLS, when left out), or a bare host[:port] taken as TCP.
/// </summary>
internal sealed record DaemonEndpoint(string Scheme, string Path, string Host, int Port)
{
    public const string DefaultUnixSocket = "/run/berth/berth.sock";

    public static DaemonEndpoint Default { get; } = new("unix", DefaultUnixSocket, "", 0);

    public bool IsUnix => Scheme == "unix";

    /// <summary>The address as users write it, for messages: unix:///run/berth/berth.sock, tcp://127.0.0.1:2376.</summary>
    public override string ToString() => IsUnix ? "unix://" + Path : $"tcp://{FormatHost(Host)}:{Port}";

    /// <summary>The Host header: a placeholder over a unix socket, as docker sends.</summary>
    public string HostHeader => IsUnix ? "api.moby.localhost" : $"{FormatHost(Host)}:{Port}";

    static string FormatHost(string host) => host.Contains(':') ? "[" + host + "]" : host;

    public static DaemonEndpoint Parse(string text, bool tls)
    {
        string value = text.Trim();
        if (value.Length == 0)
            return Default;
        int sep = value.IndexOf("://", StringComparison.Ordinal);
        string scheme = sep < 0 ? "tcp" : value[..sep].ToLowerInvariant();
        string rest = sep < 0 ? value : value[(sep + 3)..];
        switch (scheme)
        {
            case "unix":
                return new DaemonEndpoint("unix", rest.Length == 0 ? DefaultUnixSocket : rest, "", 0);
            case "tcp":
            case "http":
            case "https":
                return ParseTcp(text, rest, tls || scheme == "https");
            case "ssh":
                throw new EndpointException($"unable to resolve berth endpoint: ssh hosts are not supported: {text}");
            default:
                throw new EndpointException($"unable to resolve berth endpoint: invalid bind address format: {text}");
        }
    }

    static DaemonEndpoint ParseTcp(string original, string rest, bool tls)
    {
        int slash = rest.IndexOf('/');
        if (slash >= 0)
        {
            if (rest[slash..] != "/")
                throw new EndpointException($"unable to resolve berth endpoint: invalid bind address ({original}): should not contain a path element");
            rest = rest[..slash];
        }
        string host;
        string port = "";
        if (rest.StartsWith('['))
        {
            int close = rest.IndexOf(']');
            if (close < 0)
                throw new EndpointException($"unable to resolve berth endpoint: invalid bind address format: {original}");
            host = rest[1..close];
            if (close + 1 < rest.Length)
            {
                if (rest[close + 1] != ':')
                    throw new EndpointException($"unable to resolve berth endpoint: invalid bind address format: {original}");
                port = rest[(close + 2)..];
            }
        }
        else
        {
            int colon = rest.LastIndexOf(':');
            host = colon < 0 ? rest : rest[..colon];
            port = colon < 0 ? "" : rest[(colon + 1)..];
        }
        if (host.Length == 0)
            host = "localhost";
        int number = tls ? 2376 : 2375;
        if (port.Length > 0 && (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out number) || number is <= 0 or > 65535))
            throw new EndpointException($"unable to resolve berth endpoint: invalid bind address ({original}): invalid port");
        return new DaemonEndpoint("tcp", "", host, number);
    }
}

/// <summary>A -H / BERTH_HOST / DOCKER_HOST value that names no endpoint berth can reach.</summary>
internal sealed class EndpointException(string message) : Exception(message);
