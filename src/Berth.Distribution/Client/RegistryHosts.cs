using System.Net;

namespace Berth.Distribution.Client;

/// <summary>
/// Where a registry name is reached, as dockerd decides it: Docker Hub ("docker.io") at registry-1.docker.io,
/// through the mirrors first; https for every registry, and for insecure ones (loopback addresses always, as
/// Docker's default 127.0.0.0/8; then the daemon's <c>insecure-registries</c>, host names and CIDRs) https without
/// certificate verification first, then plain http.
/// </summary>
public sealed class RegistryHosts
{
    public const string DockerHub = "docker.io";

    /// <summary>Where Docker Hub itself is reached, after its mirrors.</summary>
    public static readonly Uri DockerHubEndpoint = new("https://registry-1.docker.io/");

    readonly Uri _dockerHub;

    readonly HashSet<string> _insecureNames = new(StringComparer.OrdinalIgnoreCase);
    readonly List<(IPAddress Network, int Prefix)> _insecureNetworks = [(IPAddress.Parse("127.0.0.0"), 8)];

    /// <param name="insecure">dockerd's insecure-registries: "host[:port]" or a CIDR.</param>
    /// <param name="mirrors">dockerd's registry-mirrors: URLs tried before Docker Hub itself.</param>
    /// <param name="dockerHub">Docker Hub's own endpoint (<see cref="DockerHubEndpoint"/>); tests give a loopback one, so nothing leaves the machine.</param>
    public RegistryHosts(IEnumerable<string>? insecure = null, IEnumerable<string>? mirrors = null, Uri? dockerHub = null)
    {
        _dockerHub = dockerHub ?? DockerHubEndpoint;
        foreach (string entry in insecure ?? [])
        {
            string value = entry.Trim();
            if (value.Contains("://", StringComparison.Ordinal))
                value = new Uri(value).Authority;
            int slash = value.IndexOf('/');
            if (slash > 0 && IPAddress.TryParse(value[..slash], out var network) && int.TryParse(value[(slash + 1)..], out int prefix))
                _insecureNetworks.Add((network, prefix));
            else
                _insecureNames.Add(value.TrimEnd('/'));
        }
        Mirrors = [.. (mirrors ?? []).Select(m => new Uri(m.EndsWith('/') ? m : m + "/"))];
    }

    public IReadOnlyList<Uri> Mirrors { get; }

    /// <summary>The base URLs to try for <paramref name="domain"/> (a reference's domain), in order.</summary>
    public IReadOnlyList<Uri> Endpoints(string domain)
    {
        if (domain == DockerHub)
            return [.. Mirrors, _dockerHub];
        var https = new Uri($"https://{domain}/");
        return IsInsecure(domain) ? [https, new Uri($"http://{domain}/")] : [https];
    }

    /// <summary>The URLs of the registry itself (login, push: never a mirror), in the order to try them.</summary>
    public IReadOnlyList<Uri> Own(string domain) => domain == DockerHub ? [_dockerHub] : Endpoints(domain);

    /// <summary>The domain as a reference names a registry that docker login was given ("https://index.docker.io/v1/" is Docker Hub).</summary>
    public static string DomainOf(string serverAddress)
    {
        string value = serverAddress.Trim();
        if (value.Contains("://", StringComparison.Ordinal))
            value = new Uri(value).Authority;
        value = value.TrimEnd('/');
        int slash = value.IndexOf('/');
        if (slash >= 0)
            value = value[..slash];
        return value is "" or "index.docker.io" or "registry-1.docker.io" or "docker.io" ? DockerHub : value;
    }

    public bool IsInsecure(string domain)
    {
        if (_insecureNames.Contains(domain))
            return true;
        string host = HostOf(domain);
        if (host == "localhost")
            return true;
        // Docker also resolves a name and checks its addresses; Berth does not look names up here (no
        // traffic to a resolver just to pick a scheme): a name is insecure only when listed.
        if (!IPAddress.TryParse(host, out var address))
            return false;
        return IPAddress.IsLoopback(address) || InNetworks(address);
    }

    bool InNetworks(IPAddress address) => _insecureNetworks.Any(n => Contains(n.Network, n.Prefix, address));

    static string HostOf(string domain)
    {
        if (domain.StartsWith('['))
            return domain[1..domain.IndexOf(']')];
        int colon = domain.LastIndexOf(':');
        return colon > 0 && domain.IndexOf(':') == colon ? domain[..colon] : domain;
    }

    static bool Contains(IPAddress network, int prefix, IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        byte[] a = address.GetAddressBytes(), n = network.GetAddressBytes();
        if (a.Length != n.Length || prefix < 0 || prefix > a.Length * 8)
            return false;
        for (int bit = 0; bit < prefix; bit++)
        {
            int mask = 0x80 >> (bit % 8);
            if ((a[bit / 8] & mask) != (n[bit / 8] & mask))
                return false;
        }
        return true;
    }
}
