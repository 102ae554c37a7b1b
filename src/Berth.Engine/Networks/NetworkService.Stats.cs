using Berth.Engine.Containers;
using Berth.Engine.Model;
using Berth.Linux.Net;

namespace Berth.Engine.Networks;

public sealed partial class NetworkService
{
    /// <summary>A netlink socket in each sampled container's namespace, opened once (entering a namespace costs a thread).</summary>
    readonly Dictionary<string, Netlink> _statsSockets = new(StringComparer.Ordinal);

    /// <summary>
    /// <c>stats</c>' networks: the counters of the container's interfaces by name (loopback left out, as Docker's), read
    /// in its namespace; null when it has none of its own from the engine.
    /// </summary>
    public Dictionary<string, NetworkStats>? Statistics(ContainerRecord record)
    {
        if (string.IsNullOrEmpty(record.SandboxKey))
            return null;
        Netlink? netlink;
        lock (_lock)
        {
            if (!_statsSockets.TryGetValue(record.Id, out netlink))
            {
                try
                {
                    using var ns = NetworkNamespace.Open(record.SandboxKey);
                    _statsSockets[record.Id] = netlink = ns.Run(Netlink.Open);
                }
                catch (Linux.LinuxException)
                {
                    return null;
                }
            }
        }
        try
        {
            var result = new Dictionary<string, NetworkStats>(StringComparer.Ordinal);
            foreach (var link in netlink.Links())
            {
                if (link.Name == "lo")
                    continue;
                var s = netlink.Statistics(link.Index);
                result[link.Name] = new NetworkStats
                {
                    RxBytes = s.RxBytes, RxPackets = s.RxPackets, RxErrors = s.RxErrors, RxDropped = s.RxDropped,
                    TxBytes = s.TxBytes, TxPackets = s.TxPackets, TxErrors = s.TxErrors, TxDropped = s.TxDropped,
                };
            }
            return result;
        }
        catch (Exception e) when (e is Linux.LinuxException or ObjectDisposedException)
        {
            return null;
        }
    }

    void CloseStatistics(string containerId)
    {
        if (_statsSockets.Remove(containerId, out var netlink))
            netlink.Dispose();
    }
}
