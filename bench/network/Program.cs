using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Berth.Bench.Engine;
using Berth.Bench.Network;
using Berth.Linux.Net;
using Berth.TestSupport;

// berthd and a dockerd with its bridge and iptables, alternately, through the same docker CLI: (1) a user
// network and a container started on it, (2) TCP streams from this process to a container, directly to its
// address and through a published port on 127.0.0.1 and on the host's own address. Medians and ratios.
int iterations = Option("--iterations", 10);
long bytes = Option("--megabytes", 200) * 1_000_000L;
bool withProxy = args.Contains("--with-proxy");

string forwardBefore = ForwardPolicy();
var bridges = new List<string>();
var stream = new Throughput($"TCP stream of {bytes / 1_000_000} MB from the host into a container (busybox nc -> dd), MB/s, higher is better");
var results = new List<Samples>();
var berth = new BerthDaemon();
NetworkedDockerDaemon? docker = null;
using var interrupted = new CancellationTokenSource();
// Ctrl-C or kill (by PID) of the bench: .NET would exit at once, without the finally below that removes
// dockerd's chains; instead the run stops at its next step and cleans up on the main thread.
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupt);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt);
try
{
    var dockerd = docker = new NetworkedDockerDaemon(userlandProxy: false);
    bridges.AddRange([berth.Bridge, dockerd.Bridge]);
    var engines = new (string Name, Func<string[], CommandResult> Cli)[]
    {
        ("berthd", a => berth.Cli(a)),
        ("dockerd", a => dockerd.Cli(a)),
    };
    Console.WriteLine($"bench/network: {iterations} iterations each, interleaved; docker CLI {Ok(berth.Cli("version", "--format", "{{.Client.Version}}"))} against berthd and dockerd {Ok(dockerd.Cli("version", "--format", "{{.Server.Version}}"))} (runc)");
    Console.WriteLine($"dockerd: own bridge {dockerd.Bridge} ({dockerd.BridgeSubnet}), user networks from {dockerd.AddressPool}, iptables NAT, WITHOUT its userland proxy (--userland-proxy=false)");

    var create = new Samples("docker network create");
    var run = new Samples("docker run -d --network <net> busybox sleep (start on a user network)");
    var both = new Samples("network create + run -d (together)");
    var rm = new Samples("docker rm -f");
    var netRm = new Samples("docker network rm");
    var runRm = new Samples("docker run --rm busybox true (on the default bridge)");
    for (int i = 0; i < iterations; i++)
    {
        foreach (var (name, cli) in engines)
        {
            Step();
            string net = $"bench-net-{i}";
            string netId = "", id = "";
            double ms = create.Time(name, () => netId = Ok(cli(["network", "create", net])));
            bridges.Add("br-" + netId[..12]);
            ms += run.Time(name, () => id = Ok(cli(["run", "-d", "--network", net, BerthDaemon.Image, "sleep", "1000"])));
            both.Add(name, ms);
            rm.Time(name, () => Ok(cli(["rm", "-f", id])));
            netRm.Time(name, () => Ok(cli(["network", "rm", net])));
            runRm.Time(name, () => Ok(cli(["run", "--rm", BerthDaemon.Image, "true"])));
        }
    }
    results.AddRange([create, run, both, rm, netRm, runRm]);

    var targets = engines.Select(e => (e.Name, Targets: StartReceiver(e.Cli))).ToList();
    for (int i = 0; i < iterations; i++)
        foreach (var (name, paths) in targets)
            foreach (var (path, endpoint) in paths)
            {
                Step();
                stream.Add(name, path, TcpStream.Send(endpoint, bytes));
            }
    foreach (var r in results)
        r.Print();
    docker.Dispose();
    docker = null;

    if (withProxy)
    {
        Step();
        // Not beside the others: dockerd recreates its DOCKER chains when it starts, so two would fight.
        docker = new NetworkedDockerDaemon(userlandProxy: true);
        bridges.Add(docker.Bridge);
        var proxied = docker;
        var paths = StartReceiver(a => proxied.Cli(a));
        for (int i = 0; i < iterations; i++)
            foreach (var (path, endpoint) in paths)
            {
                Step();
                stream.Add("dockerd+proxy", path, TcpStream.Send(endpoint, bytes));
            }
        docker.Dispose();
        docker = null;
    }
    stream.Print();
}
catch (OperationCanceledException) when (interrupted.IsCancellationRequested)
{
    Console.Error.WriteLine("interrupted: removing the daemons and what they made");
    Environment.ExitCode = 130;
}
finally
{
    docker?.Dispose();
    berth.Dispose();
    Console.WriteLine($"iptables FORWARD policy before: {forwardBefore}, after: {ForwardPolicy()}");
    Console.WriteLine($"left behind: {Leftovers(bridges)}");
}

void Interrupt(PosixSignalContext context)
{
    context.Cancel = true;
    interrupted.Cancel();
}

void Step() => interrupted.Token.ThrowIfCancellationRequested();

// The receiver on a user network, port 5001 published on all host addresses; the ways to reach it, each probed once.
List<(string Path, IPEndPoint Endpoint)> StartReceiver(Func<string[], CommandResult> cli)
{
    Step();
    Ok(cli(["network", "create", "bench-stream"]));
    int hostPort = FreePort();
    string id = Ok(cli(["run", "-d", "--network", "bench-stream", "-p", $"{hostPort}:{TcpStream.Port}", BerthDaemon.Image, .. TcpStream.ReceiverCommand]));
    bridges.Add("br-" + Ok(cli(["network", "inspect", "-f", "{{.Id}}", "bench-stream"]))[..12]);
    var address = IPAddress.Parse(Ok(cli(["inspect", "-f", "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}", id])));
    var paths = new List<(string, IPEndPoint)>
    {
        (Throughput.Direct, new IPEndPoint(address, TcpStream.Port)),
        ("published 127.0.0.1", new IPEndPoint(IPAddress.Loopback, hostPort)),
    };
    if (HostAddress() is { } host)
        paths.Add(($"published {host}", new IPEndPoint(host, hostPort)));
    foreach (var (_, endpoint) in paths)
        TcpStream.Send(endpoint, 0);
    return paths;
}

static string Ok(CommandResult r) => r.EnsureSuccess("docker").Stdout.Trim();

int Option(string name, int fallback)
{
    int at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
}

static int FreePort()
{
    var listener = new TcpListener(IPAddress.Any, 0);
    listener.Start();
    int port = ((IPEndPoint)listener.LocalEndpoint).Port;
    listener.Stop();
    return port;
}

// The host's own address on the link of its default route (eth0 here): traffic to it stays on this machine.
static IPAddress? HostAddress()
{
    using var netlink = Netlink.Open();
    var route = netlink.Routes(AddressFamily.InterNetwork).FirstOrDefault(r => r.Destination.PrefixLength == 0);
    return route is null ? null
        : netlink.Addresses().FirstOrDefault(a => a.Index == route.OutIndex && a.Address.AddressFamily == AddressFamily.InterNetwork)?.Address;
}

static string ForwardPolicy()
    => DockerIptables.Rules("filter").FirstOrDefault(r => r.StartsWith("-P FORWARD", StringComparison.Ordinal)) is { } p ? p["-P FORWARD ".Length..] : "(none)";

// Links and nft tables of the bridges this run made, and dockerd's iptables chains: all should be gone.
static string Leftovers(List<string> bridges)
{
    using var netlink = Netlink.Open();
    var links = netlink.Links().Select(l => l.Name).Where(bridges.Contains);
    var tables = NetworkLeftovers.Tables().Where(t => bridges.Any(b => t.EndsWith($" berth-{b}", StringComparison.Ordinal)));
    var all = links.Concat(tables).Concat(DockerIptables.DockerLeftovers()).ToList();
    return all.Count == 0 ? "nothing (no bridges, nft tables or DOCKER iptables chains of this run)" : string.Join("; ", all);
}
