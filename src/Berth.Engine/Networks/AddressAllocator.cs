using System.Net;
using System.Net.Sockets;

namespace Berth.Engine.Networks;

/// <summary>
/// The addresses of one network's subnet (IPv4 or IPv6) given to its endpoints: the gateway is never given, nor the
/// subnet's first address (IPv4's network address, IPv6's subnet-router anycast) nor IPv4's broadcast address; new
/// addresses continue after the last one given (as Docker's allocator does), so that a freed address is not reused at
/// once by the next container. Addresses are numbers (128 bits wide for both families), so a /64 costs no more than a
/// /24: only the addresses in use are kept.
/// </summary>
public sealed class AddressAllocator
{
    readonly UInt128 _first;
    readonly UInt128 _last;
    readonly HashSet<UInt128> _used = [];
    UInt128 _next;

    public AddressAllocator(IPNetwork subnet, IPNetwork? range, IPAddress gateway)
    {
        Subnet = subnet;
        var pool = range ?? subnet;
        (_first, _last) = AddressPools.Bounds(pool);
        var (subnetBase, subnetEnd) = AddressPools.Bounds(subnet);
        bool v4 = subnet.BaseAddress.AddressFamily == AddressFamily.InterNetwork;
        if (subnet.PrefixLength < (v4 ? 31 : 127))
        {
            _used.Add(subnetBase);
            if (v4)
                _used.Add(subnetEnd);
        }
        _used.Add(AddressPools.ToNumber(gateway));
        _next = _first;
    }

    public IPNetwork Subnet { get; }

    public IPAddress Allocate()
    {
        lock (_used)
        {
            // At most one pass over the addresses in use: the first free one after them is found within that many steps.
            UInt128 span = _last - _first;
            for (UInt128 i = 0; i <= (UInt128)_used.Count && i <= span; i++)
            {
                UInt128 offset = _next - _first + i;
                UInt128 candidate = _first + (span == UInt128.MaxValue ? offset : offset % (span + 1));
                if (_used.Add(candidate))
                {
                    _next = candidate == _last ? _first : candidate + 1;
                    return AddressPools.FromNumber(candidate, Subnet.BaseAddress.AddressFamily);
                }
            }
        }
        string family = Subnet.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? "IPv4" : "IPv6";
        throw EngineException.System($"no available {family} addresses on this network's address pools: {Subnet}");
    }

    /// <summary>A static address (<c>--ip</c>, <c>--ip6</c>), or one already given before a restart of the daemon.</summary>
    public void Reserve(IPAddress address)
    {
        if (!Subnet.Contains(address))
            throw EngineException.Invalid($"Invalid address {address}: It does not belong to any of this network's subnets");
        lock (_used)
        {
            if (!_used.Add(AddressPools.ToNumber(address)))
                throw EngineException.Invalid($"Address already in use");
        }
    }

    public void Release(IPAddress address)
    {
        if (address.AddressFamily != Subnet.BaseAddress.AddressFamily)
            return;
        lock (_used)
            _used.Remove(AddressPools.ToNumber(address));
    }
}
