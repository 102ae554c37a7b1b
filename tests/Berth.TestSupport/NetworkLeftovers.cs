using Berth.Linux.Net;

namespace Berth.TestSupport;

/// <summary>What a test daemon's networks leave on the host (dockerd, too, keeps its default bridge): removed after the daemon.</summary>
public static class NetworkLeftovers
{
    public static void RemoveBridge(string bridge)
    {
        try
        {
            using var netlink = Netlink.Open();
            netlink.TryDeleteLink(bridge);
        }
        catch (Berth.Linux.LinuxException)
        {
            // Gone already.
        }
        if (Nftables.IsAvailable)
            Nftables.Run($"add table ip berth-{bridge}\ndelete table ip berth-{bridge}\nadd table ip6 berth-{bridge}\ndelete table ip6 berth-{bridge}\n");
    }

    /// <summary>The Berth tables of nftables now ("berth-..." names).</summary>
    public static IReadOnlyList<string> Tables()
        => [.. Nftables.Run("list tables\n").Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()).Where(l => l.Contains(" berth-", StringComparison.Ordinal))];
}
