using System.Net;
using System.Net.Sockets;
using Berth.Linux.Net;
using Xunit;

namespace Berth.Linux.Tests.Net;

/// <summary>
/// What one network test makes on the host, removed on Dispose also after a failure: links named
/// "bt-&lt;hex&gt;..." (recognisable leftovers, at most 15 bytes), network namespace files under a private
/// temporary directory, and that directory.
/// </summary>
internal sealed class NetScratch : IDisposable
{
    readonly List<string> _links = [];
    readonly List<string> _namespaces = [];
    readonly string _id = Guid.NewGuid().ToString("N")[..8];

    public NetScratch()
    {
        Directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"berth-test-netns-{_id}");
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    /// <summary>A link name for this test, removed from the host at the end: "bt-&lt;id&gt;&lt;suffix&gt;".</summary>
    public string Link(string suffix)
    {
        string name = $"bt-{_id}{suffix}";
        Assert.True(name.Length <= 15, $"link name {name} too long");
        _links.Add(name);
        return name;
    }

    /// <summary>A path for a namespace file, unmounted and removed at the end.</summary>
    public string Namespace(string name)
    {
        string path = System.IO.Path.Combine(Directory, name);
        _namespaces.Add(path);
        return path;
    }

    /// <summary>
    /// A /24 in 10.200.0.0-10.254.255.0 that no route or address of the host touches, so the test's traffic can
    /// only reach what the test made. Returns the network address.
    /// </summary>
    public static IPAddress FreeSubnet(Netlink host)
    {
        var routes = host.Routes(AddressFamily.InterNetwork);
        var addresses = host.Addresses();
        for (int attempt = 0; attempt < 100; attempt++)
        {
            var candidate = new IPAddress([10, (byte)Random.Shared.Next(200, 255), (byte)Random.Shared.Next(0, 256), 0]);
            var net = new IPNetwork(candidate, 24);
            bool used = routes.Any(r => r.Destination.PrefixLength > 0 && (r.Destination.Contains(candidate) || net.Contains(r.Destination.BaseAddress)))
                || addresses.Any(a => net.Contains(a.Address));
            if (!used)
                return candidate;
        }
        Assert.Fail("no free 10.x.y.0/24 on this host");
        return IPAddress.None;
    }

    public static IPAddress Host(IPAddress subnet, byte host)
    {
        var bytes = subnet.GetAddressBytes();
        bytes[3] = host;
        return new IPAddress(bytes);
    }

    public void Dispose()
    {
        var errors = new List<Exception>();
        foreach (var path in _namespaces)
            Try(() => NetworkNamespace.Delete(path), errors);
        using (var netlink = Netlink.Open())
        {
            foreach (var link in _links)
                Try(() => netlink.TryDeleteLink(link), errors);
        }
        Try(() => System.IO.Directory.Delete(Directory, recursive: true), errors);
        if (errors.Count > 0)
            throw new AggregateException("cleaning up after a network test", errors);
    }

    static void Try(Action action, List<Exception> errors)
    {
        try
        {
            action();
        }
        catch (Exception e)
        {
            errors.Add(e);
        }
    }
}
