using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Berth.Linux.Net;
using Berth.TestSupport;

namespace Berth.Engine.Tests.Networks.Nat;

/// <summary>
/// A bridge network made by hand with <c>ip</c>, as the engine would make it: a bridge "bt-&lt;id&gt;" with the
/// gateway .1 of a free 10.x.y.0/24, "containers" (network namespaces "bt-&lt;id&gt;-cN" on veths into the bridge,
/// hairpin on, default route via the gateway), and an "outside" namespace behind a veth of its own that
/// stands for the world. Every one of them can serve HTTP with busybox httpd: <c>/index.html</c> and
/// <c>/cgi-bin/addr</c>, which answers the address the request came from. Traffic only ever goes to
/// loopback, to the host's own addresses and to these namespaces. Dispose removes servers (by PID),
/// namespaces, links, the bridge's nft table and the web root, also after a failure.
/// </summary>
internal sealed class BridgeLab : IDisposable
{
    public const string Page = "berth nat test page\n";
    public const int ServerPort = 8080;

    readonly string _id = Guid.NewGuid().ToString("N")[..8];
    readonly List<Process> _servers = [];
    readonly List<string> _namespaces = [];
    readonly List<string> _links = [];
    readonly string _webRoot;
    int _containers;

    public BridgeLab()
    {
        _webRoot = Path.Combine(Path.GetTempPath(), $"berth-test-nat-{_id}");
        try
        {
            WriteWebRoot(_webRoot);
            var subnets = FreeSubnets(2);
            Subnet = subnets[0];
            OutsideSubnet = subnets[1];
            Bridge = $"bt-{_id}";
            _links.Add(Bridge);
            Ip("link", "add", Bridge, "type", "bridge");
            Ip("addr", "add", $"{Host(Subnet, 1)}/24", "dev", Bridge);
            Ip("link", "set", Bridge, "up");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string Bridge { get; }

    public IPNetwork Subnet { get; }

    public IPAddress Gateway => Host(Subnet, 1);

    /// <summary>The subnet between the host (.1) and the outside namespace (.2).</summary>
    public IPNetwork OutsideSubnet { get; }

    public static IPAddress Host(IPNetwork subnet, int host)
    {
        byte[] bytes = subnet.BaseAddress.GetAddressBytes();
        bytes[3] = (byte)host;
        return new IPAddress(bytes);
    }

    /// <summary>A container on the bridge with address .(N+1), N counting from 1.</summary>
    public (string Namespace, IPAddress Address) AddContainer()
    {
        int n = ++_containers;
        string ns = $"bt-{_id}-c{n}";
        string veth = $"bt-{_id}c{n}";
        var address = Host(Subnet, n + 1);
        AddNamespace(ns, veth, $"{address}/24", Gateway);
        Ip("link", "set", veth, "master", Bridge);
        // A container reaching a published port of its own comes back out of the port it went in by.
        Ip("link", "set", veth, "type", "bridge_slave", "hairpin", "on");
        Ip("link", "set", veth, "up");
        return (ns, address);
    }

    /// <summary>The outside namespace at OutsideSubnet .2; <paramref name="routeBack"/> gives it a route to the bridge's subnet via the host.</summary>
    public (string Namespace, IPAddress Address) AddOutside(bool routeBack)
    {
        string ns = $"bt-{_id}-out";
        string veth = $"bt-{_id}o";
        AddNamespace(ns, veth, $"{Host(OutsideSubnet, 2)}/24", gateway: null);
        Ip("addr", "add", $"{Host(OutsideSubnet, 1)}/24", "dev", veth);
        Ip("link", "set", veth, "up");
        if (routeBack)
            Ip("-n", ns, "route", "add", Subnet.ToString(), "via", Host(OutsideSubnet, 1).ToString());
        return (ns, Host(OutsideSubnet, 2));
    }

    /// <summary>Starts busybox httpd on <see cref="ServerPort"/> in <paramref name="ns"/> and waits until it answers there.</summary>
    public void Serve(string ns)
    {
        var info = new ProcessStartInfo(HostTools.Require("ip", "iproute2")) { UseShellExecute = false, RedirectStandardInput = true };
        // ip netns exec execs httpd in place: the PID kept is the server's.
        foreach (var arg in new[] { "netns", "exec", ns, HostTools.Busybox, "httpd", "-f", "-p", ServerPort.ToString(), "-h", _webRoot })
            info.ArgumentList.Add(arg);
        _servers.Add(Process.Start(info) ?? throw new InvalidOperationException($"cannot start httpd in {ns}"));
        Wait.Until(() => Get(ns, $"http://127.0.0.1:{ServerPort}/index.html").ExitCode == 0, $"httpd in {ns}");
    }

    /// <summary>
    /// HTTP GET with busybox wget in <paramref name="ns"/> (null: the host). Debian's static busybox has no
    /// <c>wget -T</c> (it crashes on it): busybox timeout's 5 s only keep a dropped packet from hanging the test.
    /// </summary>
    public static CommandResult Get(string? ns, string url)
    {
        string[] wget = [HostTools.Busybox, "timeout", "5", HostTools.Busybox, "wget", "-q", "-O", "-", url];
        return ns is null
            ? ProcessRunner.Run(wget[0], wget[1..])
            : ProcessRunner.Run(HostTools.Require("ip", "iproute2"), ["netns", "exec", ns, .. wget]);
    }

    /// <summary>The address the server saw the request from (its <c>REMOTE_ADDR</c>).</summary>
    public static string SourceSeenBy(string? ns, IPAddress server, int port)
    {
        // httpd listens on [::] and prints an IPv4 peer as "[::ffff:a.b.c.d]".
        string text = Get(ns, $"http://{server}:{port}/cgi-bin/addr").EnsureSuccess($"GET {server}:{port}/cgi-bin/addr").Stdout.Trim().Trim('[', ']');
        var address = IPAddress.Parse(text);
        return (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
    }

    /// <summary>The IPv4 address of the interface of the host's default route (eth0's here): a host address that is not loopback.</summary>
    public static IPAddress HostAddress()
    {
        var routes = IpJson("-4", "route", "show", "default");
        string dev = routes.EnumerateArray().Select(r => r.GetProperty("dev").GetString()).FirstOrDefault()
            ?? throw new InvalidOperationException("the host has no IPv4 default route");
        var address = IpJson("-4", "addr", "show", "dev", dev).EnumerateArray()
            .SelectMany(l => l.GetProperty("addr_info").EnumerateArray())
            .Select(a => a.GetProperty("local").GetString())
            .FirstOrDefault() ?? throw new InvalidOperationException($"{dev} has no IPv4 address");
        return IPAddress.Parse(address);
    }

    /// <summary>A TCP host port bound (not listening) for as long as the socket lives: what the engine holds for a published port.</summary>
    public static Socket ReservePort(out int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Any, 0));
        port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        return socket;
    }

    public static bool TableExists(string table) =>
        Nftables.Run("list tables").Split('\n').Any(line => line.Trim() == $"table ip {table}");

    public void Dispose()
    {
        foreach (var server in _servers)
        {
            try
            {
                if (!server.HasExited)
                    server.Kill();
                server.WaitForExit(10_000);
            }
            catch (InvalidOperationException)
            {
                // Exited meanwhile.
            }
            server.Dispose();
        }
        foreach (var ns in _namespaces)
            TryIp("netns", "delete", ns);
        RemoveNetnsDirectory();
        foreach (var link in Enumerable.Reverse(_links))
            TryIp("link", "delete", link);
        if (Bridge is not null)
            Nftables.Run($"add table ip berth-{Bridge}\ndelete table ip berth-{Bridge}\n");
        if (Directory.Exists(_webRoot))
            Directory.Delete(_webRoot, recursive: true);
    }

    /// <summary>Whether iproute2's /run/netns (a bind mount on itself it makes at its first "ip netns add") was there before the labs.</summary>
    static readonly bool NetnsDirectoryExisted;

    // An explicit static constructor: the check must run before the first lab, not lazily at the first Dispose.
    static BridgeLab() => NetnsDirectoryExisted = Directory.Exists("/run/netns");

    /// <summary>The labs leave no /run/netns they made: unmounted and removed once no namespace is in it.</summary>
    static void RemoveNetnsDirectory()
    {
        if (NetnsDirectoryExisted || !Directory.Exists("/run/netns") || Directory.EnumerateFileSystemEntries("/run/netns").Any())
            return;
        ProcessRunner.Run("umount", ["/run/netns"]);
        try
        {
            Directory.Delete("/run/netns");
        }
        catch (IOException)
        {
            // Still mounted (another lab made a namespace meanwhile): the next lab's end removes it.
        }
    }

    void AddNamespace(string ns, string veth, string address, IPAddress? gateway)
    {
        _namespaces.Add(ns);
        Ip("netns", "add", ns);
        _links.Add(veth);
        Ip("link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns);
        Ip("-n", ns, "link", "set", "lo", "up");
        Ip("-n", ns, "addr", "add", address, "dev", "eth0");
        Ip("-n", ns, "link", "set", "eth0", "up");
        if (gateway is not null)
            Ip("-n", ns, "route", "add", "default", "via", gateway.ToString());
    }

    static void WriteWebRoot(string root)
    {
        Directory.CreateDirectory(Path.Combine(root, "cgi-bin"));
        File.WriteAllText(Path.Combine(root, "index.html"), Page);
        string cgi = Path.Combine(root, "cgi-bin", "addr");
        File.WriteAllText(cgi, "#!/bin/sh\nprintf 'Content-Type: text/plain\\r\\n\\r\\n%s\\n' \"$REMOTE_ADDR\"\n");
        File.SetUnixFileMode(cgi, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead
            | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
    }

    /// <summary>Random 10.x.y.0/24 subnets that no route or address of the host overlaps.</summary>
    static List<IPNetwork> FreeSubnets(int count)
    {
        var taken = IpJson("-4", "route", "show", "table", "all").EnumerateArray()
            .Select(r => r.GetProperty("dst").GetString())
            .Where(d => d is not null && d != "default")
            .Select(d => IPNetwork.Parse(d!.Contains('/') ? d : d + "/32"))
            .ToList();
        var chosen = new List<IPNetwork>();
        while (chosen.Count < count)
        {
            var candidate = new IPNetwork(new IPAddress([10, (byte)Random.Shared.Next(200, 250), (byte)Random.Shared.Next(0, 256), 0]), 24);
            if (!taken.Concat(chosen).Any(t => t.Contains(candidate.BaseAddress) || candidate.Contains(t.BaseAddress)))
                chosen.Add(candidate);
        }
        return chosen;
    }

    static JsonElement IpJson(params string[] args)
    {
        var result = ProcessRunner.Run(HostTools.Require("ip", "iproute2"), ["-j", .. args]).EnsureSuccess($"ip -j {string.Join(' ', args)}");
        using var document = JsonDocument.Parse(result.Stdout);
        return document.RootElement.Clone();
    }

    static void Ip(params string[] args) =>
        ProcessRunner.Run(HostTools.Require("ip", "iproute2"), args).EnsureSuccess($"ip {string.Join(' ', args)}");

    static void TryIp(params string[] args) => ProcessRunner.Run(HostTools.Require("ip", "iproute2"), args);
}
