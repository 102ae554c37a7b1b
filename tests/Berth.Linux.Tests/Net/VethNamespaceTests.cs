using System.Net;
using System.Net.Sockets;
using Berth.Linux.Net;
using Berth.TestSupport;
using Xunit;

namespace Berth.Linux.Tests.Net;

/// <summary>The path the engine will take for a container on a bridge network, end to end on the real kernel.</summary>
public sealed class VethNamespaceTests
{
    const int Payload = 1 << 20;

    [Fact]
    public void A_namespace_behind_a_veth_on_a_bridge_accepts_a_tcp_connection_from_the_host()
    {
        using var scratch = new NetScratch();
        using var host = Netlink.Open();
        string bridge = scratch.Link("b"), hostEnd = scratch.Link("h"), peerEnd = scratch.Link("p");
        string path = scratch.Namespace("ns");
        var subnet = NetScratch.FreeSubnet(host);
        IPAddress gateway = NetScratch.Host(subnet, 1), inside = NetScratch.Host(subnet, 2);

        host.CreateBridge(bridge);
        int bridgeIndex = host.IndexOf(bridge);
        host.AddAddress(bridgeIndex, gateway, 24);
        host.SetUp(bridgeIndex);

        using (var ns = NetworkNamespace.Create(path))
        {
            host.CreateVeth(hostEnd, peerEnd, ns);
            Assert.False(host.TryIndexOf(peerEnd, out _));
            int hostIndex = host.IndexOf(hostEnd);
            host.SetMaster(hostIndex, bridgeIndex);
            host.SetUp(hostIndex);
            Assert.Equal(bridgeIndex, host.Links().Single(l => l.Index == hostIndex).MasterIndex);

            int eth0;
            using (var container = ns.Run(Netlink.Open))
            {
                eth0 = container.IndexOf(peerEnd);
                container.Rename(eth0, "eth0");
                container.AddAddress(eth0, inside, 24);
                container.SetUp(eth0);
                container.AddDefaultRoute(gateway);

                var links = container.Links();
                Assert.Equal(["eth0", "lo"], links.Select(l => l.Name).Order());
                Assert.All(links, l => Assert.True(l.Up, $"{l.Name} is down"));
                Assert.Equal("veth", links.Single(l => l.Name == "eth0").Kind);
                Assert.Contains(new AddressInfo(eth0, inside, 24), container.Addresses());
                Assert.Contains($"{inside}/24", IpTool.Addresses(path, "eth0"));
                Assert.Contains(new RouteInfo(new IPNetwork(IPAddress.Any, 0), gateway, eth0), container.Routes(AddressFamily.InterNetwork));
                Assert.Equal(gateway.ToString(), IpTool.Json(path, "route", "show", "default")[0].GetProperty("gateway").GetString());

                var before = (Host: host.Statistics(hostIndex), Container: container.Statistics(eth0));
                int port;
                using (var listener = ns.Run(() => Listen(inside)))
                {
                    port = ((IPEndPoint)listener.LocalEndPoint!).Port;
                    Exchange(listener, new IPEndPoint(inside, port));
                }
                var after = (Host: host.Statistics(hostIndex), Container: container.Statistics(eth0));

                // The host's end transmits what the namespace's end receives, and the reverse.
                Assert.InRange(after.Host.TxBytes - before.Host.TxBytes, (ulong)Payload, ulong.MaxValue);
                Assert.InRange(after.Container.RxBytes - before.Container.RxBytes, (ulong)Payload, ulong.MaxValue);
                Assert.InRange(after.Container.TxPackets - before.Container.TxPackets, 1UL, ulong.MaxValue);
                Assert.InRange(after.Host.RxBytes - before.Host.RxBytes, 1UL, ulong.MaxValue);
            }
        }

        NetworkNamespace.Delete(path);
        Assert.DoesNotContain(MountInfo.Read(), m => m.MountPoint == path);
        Assert.False(File.Exists(path));
        // The namespace ends once its last holder is gone, and its veth with it (the kernel cleans up asynchronously).
        Wait.Until(() => !host.TryIndexOf(hostEnd, out _), $"{hostEnd} to vanish with its namespace");
    }

    static Socket Listen(IPAddress address)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(address, 0));
        socket.Listen(1);
        return socket;
    }

    /// <summary>Sends a megabyte from the host to the listener and gets its byte count back.</summary>
    static void Exchange(Socket listener, IPEndPoint endpoint)
    {
        var served = Task.Run(() =>
        {
            using var connection = listener.Accept();
            var buffer = new byte[64 * 1024];
            long total = 0;
            int n;
            while ((n = connection.Receive(buffer)) > 0)
                total += n;
            connection.Send(BitConverter.GetBytes(total));
            connection.Shutdown(SocketShutdown.Send);
            return total;
        });
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(endpoint);
        var data = new byte[Payload];
        Random.Shared.NextBytes(data);
        client.Send(data);
        client.Shutdown(SocketShutdown.Send);
        var answer = new byte[8];
        int received = 0;
        while (received < answer.Length)
        {
            int n = client.Receive(answer, received, answer.Length - received, SocketFlags.None);
            Assert.True(n > 0, "the listener closed before answering");
            received += n;
        }
        Assert.True(served.Wait(TimeSpan.FromSeconds(60)), "the listener did not finish");
        Assert.Equal(Payload, served.Result);
        Assert.Equal(Payload, BitConverter.ToInt64(answer));
    }
}
