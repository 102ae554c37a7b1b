using Berth.Linux;
using Berth.Linux.Net;

namespace Berth.Engine.Networks.Nat;

/// <summary>
/// <c>net.ipv4.conf.&lt;bridge&gt;.route_localnet</c>: without it the kernel drops a packet with a 127.0.0.0/8
/// source routed out of the bridge as a martian, and 127.0.0.1:hostport, DNATed in the output hook, goes nowhere.
/// </summary>
internal static class RouteLocalnet
{
    /// <summary>Sets route_localnet=1 on <paramref name="bridge"/> (in the calling thread's network namespace).</summary>
    /// <exception cref="EngineException">The bridge does not exist, or the write was refused.</exception>
    public static void Enable(string bridge)
    {
        // The slash form: a bridge name may contain a dot.
        string key = $"net/ipv4/conf/{bridge}/route_localnet";
        try
        {
            // A read is cheaper than a write, which takes the RTNL lock and notifies listeners.
            if (Sysctl.Read(key) != "1")
                Sysctl.Write(key, "1");
        }
        catch (LinuxException e)
        {
            throw EngineException.System($"cannot enable route_localnet on bridge {bridge}: {e.Message}", e);
        }
    }
}
