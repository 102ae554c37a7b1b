using System.Net;
using System.Net.Sockets;

namespace Berth.Engine.Networks;

/// <summary>
/// Where a bridge network without a given subnet gets one: Docker's default pools (172.17-31.0.0/16, then
/// 192.168.0.0/16 in /20s), the first block that overlaps neither a route of the host nor another network; for IPv6,
/// as Docker 27's, the first such /64 of a unique local /48 derived from the daemon's identity.
/// </summary>
public static class AddressPools
{
    /// <summary>Held while a daemon picks a subnet and makes its bridge, so that two daemons never pick the same one.</summary>
    const string HostLockPath = "/run/berth-networks.lock";

    public static Linux.FileLock LockHost()
    {
        // Made by the first daemon, never removed (another may hold it); not through FileStream, whose own flock would
        // collide with a daemon that holds the lock. Mode 0600.
        Linux.Files.Open(HostLockPath, Linux.OpenFlags.ReadOnly | Linux.OpenFlags.Create, 384).Dispose();
        return Linux.FileLock.Acquire(HostLockPath);
    }

    public static IEnumerable<IPNetwork> Defaults()
    {
        for (int b = 17; b <= 31; b++)
            yield return new IPNetwork(new IPAddress([172, (byte)b, 0, 0]), 16);
        for (int c = 0; c < 256; c += 16)
            yield return new IPNetwork(new IPAddress([192, 168, (byte)c, 0]), 20);
    }

    public static IPNetwork Pick(IEnumerable<IPNetwork> taken)
    {
        var used = taken.ToList();
        foreach (var candidate in Defaults())
        {
            if (!used.Any(u => Overlaps(u, candidate)))
                return candidate;
        }
        throw EngineException.Invalid("could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network");
    }

    /// <summary>
    /// Docker 27's default IPv6 pool: fd00::/8 with 40 bits of the SHA-256 of <paramref name="hostId"/> as the global
    /// ID (RFC 4193 3.2.2, loosely), a /48 unique to the daemon and stable while its identity is, split into /64s.
    /// </summary>
    public static IPNetwork UlaBase(string hostId)
    {
        byte[] sha = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(hostId));
        ulong globalId = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(sha) & ((1UL << 40) - 1);
        UInt128 address = ToNumber(IPAddress.Parse("fd00::")) + ((UInt128)globalId << 80);
        return new IPNetwork(FromNumber(address, AddressFamily.InterNetworkV6), 48);
    }

    /// <summary>The first /64 of <see cref="UlaBase"/> that overlaps nothing <paramref name="taken"/> (Docker's order).</summary>
    public static IPNetwork PickV6(string hostId, IEnumerable<IPNetwork> taken)
    {
        var used = taken.Where(t => t.BaseAddress.AddressFamily == AddressFamily.InterNetworkV6).ToList();
        UInt128 start = ToNumber(UlaBase(hostId).BaseAddress);
        for (UInt128 n = 0; n < 65536; n++)
        {
            var candidate = new IPNetwork(FromNumber(start + (n << 64), AddressFamily.InterNetworkV6), 64);
            if (!used.Any(u => Overlaps(u, candidate)))
                return candidate;
        }
        throw EngineException.Invalid("could not find an available, non-overlapping IPv6 address pool among the defaults to assign to the network");
    }

    public static bool Overlaps(IPNetwork a, IPNetwork b)
        => a.BaseAddress.AddressFamily == b.BaseAddress.AddressFamily && (a.Contains(b.BaseAddress) || b.Contains(a.BaseAddress));

    /// <summary>The subnet's n-th address (1 is the usual gateway).</summary>
    public static IPAddress Nth(IPNetwork subnet, uint n) => FromNumber(ToNumber(subnet.BaseAddress) + n, subnet.BaseAddress.AddressFamily);

    /// <summary>The subnet's first and last address as numbers.</summary>
    public static (UInt128 First, UInt128 Last) Bounds(IPNetwork subnet)
    {
        int bits = subnet.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        UInt128 first = ToNumber(subnet.BaseAddress);
        int hostBits = bits - subnet.PrefixLength;
        UInt128 size = hostBits >= 128 ? UInt128.MaxValue : (UInt128.One << hostBits) - 1;
        return (first, first + size);
    }

    /// <summary>An IPv4 or IPv6 address as a number (IPv4 in the low 32 bits).</summary>
    public static UInt128 ToNumber(IPAddress address)
    {
        Span<byte> b = stackalloc byte[16];
        address.TryWriteBytes(b, out int written);
        return written == 4 ? ToUInt(address) : System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(b);
    }

    public static IPAddress FromNumber(UInt128 value, AddressFamily family)
    {
        if (family == AddressFamily.InterNetwork)
            return FromUInt((uint)value);
        Span<byte> b = stackalloc byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt128BigEndian(b, value);
        return new IPAddress(b);
    }

    public static uint ToUInt(IPAddress address)
    {
        Span<byte> b = stackalloc byte[4];
        address.TryWriteBytes(b, out _);
        return (uint)(b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]);
    }

    public static IPAddress FromUInt(uint value) => new([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]);

    /// <summary>Docker's rule: a subnet is written with its host bits zero.</summary>
    public static IPNetwork ParseSubnet(string text)
    {
        int slash = text.IndexOf('/');
        if (slash < 0 || !IPAddress.TryParse(text.AsSpan(0, slash), out var address) || !int.TryParse(text.AsSpan(slash + 1), out int prefix)
            || prefix < 0 || prefix > (address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128))
            throw EngineException.Invalid($"invalid CIDR address: {text}");
        var network = new IPNetwork(Masked(address, prefix), prefix);
        if (!network.BaseAddress.Equals(address))
            throw EngineException.Invalid($"invalid network config:\ninvalid subnet {text}: it should be {network}");
        return network;
    }

    static IPAddress Masked(IPAddress address, int prefix)
    {
        byte[] bytes = address.GetAddressBytes();
        for (int i = 0; i < bytes.Length; i++)
        {
            int keep = Math.Clamp(prefix - i * 8, 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }
        return new IPAddress(bytes);
    }
}
