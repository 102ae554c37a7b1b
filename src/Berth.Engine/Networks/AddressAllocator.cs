using System.Net;

namespace Berth.Engine.Networks;

/// <summary>
/// The addresses of one IPv4 network given to its endpoints: the gateway and the network and broadcast addresses are
/// never given; new addresses continue after the last one given (as Docker's allocator does), so that a freed address
/// is not reused at once by the next container.
/// </summary>
public sealed class AddressAllocator
{
    readonly uint _first;
    readonly uint _last;
    readonly HashSet<uint> _used = [];
    uint _next;

    public AddressAllocator(IPNetwork subnet, IPNetwork? range, IPAddress gateway)
    {
        Subnet = subnet;
        var pool = range ?? subnet;
        uint size = pool.PrefixLength >= 32 ? 1u : 1u << (32 - pool.PrefixLength);
        _first = AddressPools.ToUInt(pool.BaseAddress);
        _last = _first + size - 1;
        uint subnetBase = AddressPools.ToUInt(subnet.BaseAddress);
        uint subnetEnd = subnetBase + (subnet.PrefixLength >= 32 ? 0u : (1u << (32 - subnet.PrefixLength)) - 1);
        if (subnet.PrefixLength < 31)
        {
            _used.Add(subnetBase);
            _used.Add(subnetEnd);
        }
        _used.Add(AddressPools.ToUInt(gateway));
        _next = _first;
    }

    public IPNetwork Subnet { get; }

    public IPAddress Allocate()
    {
        lock (_used)
        {
            for (uint i = 0; i <= _last - _first; i++)
            {
                uint candidate = _first + (_next - _first + i) % (_last - _first + 1);
                if (_used.Add(candidate))
                {
                    _next = candidate + 1 > _last ? _first : candidate + 1;
                    return AddressPools.FromUInt(candidate);
                }
            }
        }
        throw EngineException.System($"no available IPv4 addresses on this network's address pools: {Subnet}");
    }

    /// <summary>A static address (<c>--ip</c>), or one already given before a restart of the daemon.</summary>
    public void Reserve(IPAddress address)
    {
        if (!Subnet.Contains(address))
            throw EngineException.Invalid($"Invalid address {address}: It does not belong to any of this network's subnets");
        lock (_used)
        {
            if (!_used.Add(AddressPools.ToUInt(address)))
                throw EngineException.Invalid($"Address already in use");
        }
    }

    public void Release(IPAddress address)
    {
        lock (_used)
            _used.Remove(AddressPools.ToUInt(address));
    }
}
