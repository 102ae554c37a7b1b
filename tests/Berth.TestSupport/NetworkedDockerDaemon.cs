using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using Berth.Linux;
using Berth.Linux.Net;

namespace Berth.TestSupport;

/// <summary>
/// Debian's dockerd (docker.io 20.10) WITH networking, for what <see cref="DockerDaemon"/> (--bridge none,
/// --iptables=false) cannot show: bridge networks, published ports, iptables NAT. Everything else as there
/// (private roots and socket in an <see cref="EngineSandbox"/>, cgroupfs under it, the busybox image).
/// Its default bridge is made here, "bd-" and random hex, on a random free 10.x.0.0/24, so that it never
/// meets another daemon's docker0; user networks come from the /16 below it (--default-address-pool).
/// Dispose removes the containers and networks, stops dockerd by PID, and then whatever dockerd leaves:
/// its bridges, their veths, and its iptables chains and rules (<see cref="DockerIptables"/>).
/// </summary>
public sealed class NetworkedDockerDaemon : IDisposable
{
    public const string Image = DockerDaemon.Image;

    readonly EngineSandbox _sandbox;
    readonly string _cli;
    readonly Dictionary<string, string> _cliEnvironment;
    readonly bool _shimDirectoryExisted = Directory.Exists("/run/containerd");
    readonly DockerIptables _iptables = new();
    readonly HashSet<string> _bridges = [];
    readonly IPNetwork _addresses;
    Process? _dockerd;

    /// <param name="userlandProxy">dockerd's docker-proxy on published ports (its default); false: iptables DNAT only.</param>
    public NetworkedDockerDaemon(bool userlandProxy = false)
    {
        string dockerd = HostTools.Require("dockerd", "docker.io");
        _cli = HostTools.Require("docker", "docker.io");
        UserlandProxy = userlandProxy;
        _sandbox = new EngineSandbox("docker");
        _cliEnvironment = new() { ["DOCKER_CONFIG"] = _sandbox.PathOf("cli") };
        int b = FreeSecondOctet();
        _addresses = new IPNetwork(new IPAddress([10, (byte)b, 0, 0]), 15);
        AddressPool = $"10.{b}.0.0/16";
        BridgeSubnet = $"10.{b + 1}.0.0/24";
        try
        {
            MakeBridge(IPAddress.Parse($"10.{b + 1}.0.1"));
            Start(dockerd);
            Cli("import", BusyboxRootfs.Tar(_sandbox.PathOf("busybox.tar")), Image).EnsureSuccess("docker import of the busybox rootfs");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public bool UserlandProxy { get; }

    public string Bridge { get; } = "bd-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5));

    public string BridgeSubnet { get; }

    /// <summary>Where dockerd takes user networks' subnets from (a /24 each).</summary>
    public string AddressPool { get; }

    public string Socket => _sandbox.PathOf("docker.sock");

    public string PathOf(string relative) => _sandbox.PathOf(relative);

    /// <summary>dockerd's PID, 0 if it is not running.</summary>
    public int Pid => _dockerd is { HasExited: false } p ? p.Id : 0;

    public CommandResult Cli(params string[] args) => Cli((IEnumerable<string>)args);

    public CommandResult Cli(IEnumerable<string> args, TimeSpan? timeout = null)
        => ProcessRunner.Run(_cli, ["--host", "unix://" + Socket, .. args], timeout: timeout, environment: _cliEnvironment);

    public string Inspect(string name, string format) => Cli("inspect", "-f", format, name).EnsureSuccess($"docker inspect {name}").Stdout.Trim();

    /// <summary>The second octet of a 10.x.0.0/15 that no address or route of the host overlaps.</summary>
    static int FreeSecondOctet()
    {
        using var netlink = Netlink.Open();
        var taken = netlink.Addresses().Where(a => a.Address.AddressFamily == AddressFamily.InterNetwork)
            .Select(a => new IPNetwork(a.Address, 32))
            .Concat(netlink.Routes(AddressFamily.InterNetwork).Select(r => r.Destination))
            .ToList();
        for (int attempt = 0; attempt < 100; attempt++)
        {
            int b = 2 * RandomNumberGenerator.GetInt32(32, 125);
            var candidate = new IPNetwork(new IPAddress([10, (byte)b, 0, 0]), 15);
            if (!taken.Any(t => t.PrefixLength > 0 && (candidate.Contains(t.BaseAddress) || t.Contains(candidate.BaseAddress))))
                return b;
        }
        throw new InvalidOperationException("no free 10.x.0.0/15 for dockerd's networks");
    }

    void MakeBridge(IPAddress gateway)
    {
        using var netlink = Netlink.Open();
        _bridges.Add(Bridge);
        netlink.CreateBridge(Bridge);
        int index = netlink.IndexOf(Bridge);
        netlink.AddAddress(index, gateway, 24);
        netlink.SetUp(index);
    }

    void Start(string dockerd)
    {
        File.WriteAllText(_sandbox.PathOf("daemon.json"), JsonSerializer.Serialize(new Dictionary<string, string>
        {
            // dockerd 20.10 writes its trust key to /etc/docker/key.json unless told otherwise.
            ["deprecated-key-path"] = _sandbox.PathOf("key.json"),
        }));
        string[] args =
        [
            "--config-file", _sandbox.PathOf("daemon.json"),
            "--data-root", _sandbox.PathOf("data"),
            "--exec-root", _sandbox.PathOf("exec"),
            "--pidfile", _sandbox.PathOf("docker.pid"),
            "--host", "unix://" + Socket,
            "--exec-opt", "native.cgroupdriver=cgroupfs",
            "--cgroup-parent", _sandbox.CgroupParent,
            "--storage-driver", _sandbox.StorageDriver("overlay2"),
            // --bridge and --bip exclude each other in 20.10: the bridge brings its own address.
            "--bridge", Bridge,
            "--default-address-pool", $"base={AddressPool},size=24",
            "--iptables=true",
            "--ip6tables=false",
            "--userland-proxy=" + (UserlandProxy ? "true" : "false"),
        ];
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardInput = true };
        foreach (var a in new[] { "-c", "log=$1; shift; exec \"$@\" >\"$log\" 2>&1", "sh", _sandbox.PathOf("dockerd.log"), dockerd })
            info.ArgumentList.Add(a);
        foreach (var a in args)
            info.ArgumentList.Add(a);
        _dockerd = Process.Start(info) ?? throw new InvalidOperationException("cannot start dockerd");
        _dockerd.StandardInput.Close();

        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_dockerd.HasExited)
                Assert.Fail($"dockerd exited with status {_dockerd.ExitCode} while starting:\n{LogTail()}");
            if (File.Exists(Socket) && Cli("version", "--format", "{{.Server.Version}}").ExitCode == 0)
                return;
            if (clock.Elapsed > TimeSpan.FromSeconds(60))
                Assert.Fail($"dockerd did not answer on {Socket} within 60 s:\n{LogTail()}");
            Thread.Sleep(100);
        }
    }

    public string LogTail()
    {
        try
        {
            return string.Join('\n', File.ReadAllLines(_sandbox.PathOf("dockerd.log")).TakeLast(40));
        }
        catch (IOException)
        {
            return "(no dockerd log)";
        }
    }

    public void Dispose()
    {
        try
        {
            if (_dockerd is { HasExited: false })
            {
                var ids = Cli("ps", "-aq").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
                if (ids.Length > 0)
                    Cli(["rm", "-f", .. ids]);
                // Names of the user networks' bridges, for the sweep below should `network rm` fail.
                foreach (var id in Cli("network", "ls", "-q", "--filter", "driver=bridge").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
                    _bridges.Add("br-" + id.Trim()[..Math.Min(12, id.Trim().Length)]);
                Cli("network", "prune", "-f");
                // SIGTERM lets dockerd stop its containerd; SIGKILL if it takes too long.
                Processes.TryKill(_dockerd.Id, Signals.SIGTERM);
                if (!_dockerd.WaitForExit(TimeSpan.FromSeconds(20)))
                {
                    Processes.TryKill(_dockerd.Id, Signals.SIGKILL);
                    _dockerd.WaitForExit(TimeSpan.FromSeconds(5));
                }
            }
        }
        finally
        {
            _dockerd?.Dispose();
            _sandbox.Dispose();
            RemoveLinks();
            _iptables.RemoveAdded(word => _bridges.Contains(word) || IsOurs(word));
            if (!_shimDirectoryExisted)
                foreach (var dir in new[] { "/run/containerd/s", "/run/containerd" })
                    if (Directory.Exists(dir) && !Directory.EnumerateFileSystemEntries(dir).Any())
                        Directory.Delete(dir);
        }
    }

    /// <summary>A subnet or address word of an iptables rule inside dockerd's 10.x.0.0/15.</summary>
    bool IsOurs(string word)
    {
        string text = word.Split('/')[0];
        return IPAddress.TryParse(text, out var address) && address.AddressFamily == AddressFamily.InterNetwork && _addresses.Contains(address);
    }

    /// <summary>dockerd's bridges (the default one, and user networks' whose address lies in its pool) with their veths.</summary>
    void RemoveLinks()
    {
        try
        {
            using var netlink = Netlink.Open();
            var inPool = netlink.Addresses().Where(a => a.Address.AddressFamily == AddressFamily.InterNetwork && _addresses.Contains(a.Address)).Select(a => a.Index).ToHashSet();
            var links = netlink.Links();
            var bridges = links.Where(l => l.Kind == "bridge" && (_bridges.Contains(l.Name) || inPool.Contains(l.Index))).ToList();
            foreach (var port in links.Where(l => bridges.Any(b => b.Index == l.MasterIndex)))
                netlink.TryDeleteLink(port.Name);
            foreach (var bridge in bridges)
                netlink.TryDeleteLink(bridge.Name);
        }
        catch (LinuxException e)
        {
            Console.Error.WriteLine($"removing dockerd's bridges: {e.Message}");
        }
    }
}
