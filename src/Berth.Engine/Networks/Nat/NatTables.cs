using Berth.Linux.Net;

namespace Berth.Engine.Networks.Nat;

/// <summary>
/// The nftables tables of Berth's bridge networks, applied for real: each call replaces or removes one
/// bridge's whole table in one transaction, so a failure leaves the previous table as it was. Thread-safe:
/// it keeps no state, and <see cref="Nftables.Run"/> serialises the transactions.
/// </summary>
public sealed class NatTables
{
    /// <summary>Makes the bridge's table what <paramref name="nat"/> needs (removes it when that is nothing).</summary>
    /// <exception cref="EngineException">InvalidParameter for a <paramref name="nat"/> that cannot be rendered; System when the kernel refuses it.</exception>
    public void Apply(BridgeNat nat)
    {
        string script;
        try
        {
            script = NatTable.Render(nat);
        }
        catch (ArgumentException e)
        {
            throw EngineException.Invalid($"network bridge {nat.Bridge}: {e.Message}");
        }
        EnableForwarding();
        if (nat.Subnet6 is not null)
            EnableIPv6Forwarding();
        if (NatTable.PublishesPorts(nat))
            RouteLocalnet.Enable(nat.Bridge);
        Run(script, nat.Bridge);
    }

    /// <summary>
    /// As dockerd: the rules route between the bridge and the world only if the host forwards between
    /// interfaces, which a fresh host does not. True when this call turned it on.
    /// </summary>
    public static bool EnableForwarding()
    {
        if (Sysctl.Read("net.ipv4.ip_forward").Trim() == "1")
            return false;
        Sysctl.Write("net.ipv4.ip_forward", "1");
        return true;
    }

    /// <summary>
    /// As dockerd for a network with IPv6: the host forwards IPv6 between interfaces (default and all). The ip6 tables
    /// keep every bridge isolated as the ip ones do. True when this call turned it on.
    /// </summary>
    public static bool EnableIPv6Forwarding()
    {
        bool changed = false;
        foreach (string key in (string[])["net.ipv6.conf.default.forwarding", "net.ipv6.conf.all.forwarding"])
        {
            if (Sysctl.Read(key).Trim() == "1")
                continue;
            Sysctl.Write(key, "1");
            changed = true;
        }
        return changed;
    }

    /// <summary>Removes the bridge's tables; nothing happens when it has none.</summary>
    public void Remove(string bridge)
    {
        string script;
        try
        {
            script = NatTable.RenderDelete(bridge);
        }
        catch (ArgumentException e)
        {
            throw EngineException.Invalid(e.Message);
        }
        Run(script, bridge);
    }

    static void Run(string script, string bridge)
    {
        try
        {
            Nftables.Run(script);
        }
        catch (NftablesException e)
        {
            throw EngineException.System($"nftables rules of network bridge {bridge}: {e.Message}", e);
        }
    }
}
