namespace Berth.Cli.Credentials;

/// <summary>How docker names a registry in its credential stores.</summary>
internal static class RegistryAddress
{
    /// <summary>Docker Hub's key (docker's registry.IndexServer).</summary>
    public const string DockerHub = "https://index.docker.io/v1/";

    /// <summary>The key of an image's registry: Docker Hub's URL, or the domain as the reference names it.</summary>
    public static string KeyOf(string domain) => domain is "docker.io" or "index.docker.io" ? DockerHub : domain;

    /// <summary>
    /// docker's ConvertToHostname: "host[:port]" of a URL ("http://127.0.0.1:5000/v2/" is "127.0.0.1:5000"), else the
    /// text up to its first slash.
    /// </summary>
    public static string ConvertToHostname(string maybeUrl)
    {
        int scheme = maybeUrl.IndexOf("://", StringComparison.Ordinal);
        if (scheme > 0)
        {
            string rest = maybeUrl[(scheme + 3)..];
            int end = rest.IndexOfAny(['/', '?', '#']);
            string authority = end >= 0 ? rest[..end] : rest;
            authority = authority[(authority.LastIndexOf('@') + 1)..];
            // Go's Port() is empty for "host:", and then only the host is kept.
            if (authority.EndsWith(':'))
                authority = authority[..^1];
            // ...and an IPv6 host without a port loses its brackets (Hostname() without JoinHostPort).
            if (authority.StartsWith('[') && authority.EndsWith(']'))
                authority = authority[1..^1];
            if (authority.Length > 0)
                return authority;
        }
        int slash = maybeUrl.IndexOf('/');
        return slash >= 0 ? maybeUrl[..slash] : maybeUrl;
    }
}
