using System.Net;
using Berth.Engine.Networks;

namespace Berth.Engine.Tests.Networks;

public sealed class AddressTests
{
    [Fact]
    public void The_first_default_pool_that_overlaps_nothing_is_picked()
    {
        var taken = new[] { IPNetwork.Parse("172.17.0.0/16"), IPNetwork.Parse("172.18.5.0/24"), IPNetwork.Parse("10.0.0.0/8") };
        Assert.Equal(IPNetwork.Parse("172.19.0.0/16"), AddressPools.Pick(taken));
        var all172 = Enumerable.Range(17, 15).Select(b => IPNetwork.Parse($"172.{b}.0.0/16")).Append(IPNetwork.Parse("192.168.0.0/20"));
        Assert.Equal(IPNetwork.Parse("192.168.16.0/20"), AddressPools.Pick(all172));
    }

    [Fact]
    public void A_subnet_with_host_bits_is_refused_with_docker_s_text()
    {
        var e = Assert.Throws<EngineException>(() => AddressPools.ParseSubnet("10.1.2.3/16"));
        Assert.Equal("invalid network config:\ninvalid subnet 10.1.2.3/16: it should be 10.1.0.0/16", e.Message);
        Assert.Equal(IPNetwork.Parse("10.1.0.0/16"), AddressPools.ParseSubnet("10.1.0.0/16"));
        Assert.Throws<EngineException>(() => AddressPools.ParseSubnet("10.1.0.0"));
    }

    [Fact]
    public void Addresses_skip_the_gateway_continue_after_the_last_given_and_wrap_around()
    {
        var subnet = IPNetwork.Parse("10.5.0.0/29");
        var allocator = new AddressAllocator(subnet, null, IPAddress.Parse("10.5.0.1"));
        var given = Enumerable.Range(0, 5).Select(_ => allocator.Allocate().ToString()).ToList();
        Assert.Equal(["10.5.0.2", "10.5.0.3", "10.5.0.4", "10.5.0.5", "10.5.0.6"], given);
        Assert.Throws<EngineException>(allocator.Allocate);
        allocator.Release(IPAddress.Parse("10.5.0.3"));
        Assert.Equal("10.5.0.3", allocator.Allocate().ToString());
    }

    [Fact]
    public void A_freed_address_is_not_given_again_at_once()
    {
        var allocator = new AddressAllocator(IPNetwork.Parse("10.6.0.0/24"), null, IPAddress.Parse("10.6.0.1"));
        var first = allocator.Allocate();
        allocator.Release(first);
        Assert.Equal("10.6.0.3", allocator.Allocate().ToString());
    }

    [Fact]
    public void Static_addresses_must_be_free_and_inside_the_subnet()
    {
        var allocator = new AddressAllocator(IPNetwork.Parse("10.7.0.0/24"), IPNetwork.Parse("10.7.0.128/25"), IPAddress.Parse("10.7.0.1"));
        allocator.Reserve(IPAddress.Parse("10.7.0.9"));
        Assert.Equal("Address already in use", Assert.Throws<EngineException>(() => allocator.Reserve(IPAddress.Parse("10.7.0.9"))).Message);
        Assert.Contains("It does not belong to any of this network's subnets", Assert.Throws<EngineException>(() => allocator.Reserve(IPAddress.Parse("10.8.0.9"))).Message);
        Assert.Equal("10.7.0.128", allocator.Allocate().ToString());
    }

    [Fact]
    public void IPv6_addresses_are_given_in_order_after_the_gateway_and_a_static_one_must_be_inside()
    {
        var allocator = new AddressAllocator(IPNetwork.Parse("fd12:3456::/64"), null, IPAddress.Parse("fd12:3456::1"));
        Assert.Equal(["fd12:3456::2", "fd12:3456::3"], [allocator.Allocate().ToString(), allocator.Allocate().ToString()]);
        allocator.Reserve(IPAddress.Parse("fd12:3456::4"));
        Assert.Equal("fd12:3456::5", allocator.Allocate().ToString());
        Assert.Equal("Address already in use", Assert.Throws<EngineException>(() => allocator.Reserve(IPAddress.Parse("fd12:3456::4"))).Message);
        Assert.Equal("Invalid address fd12:9999::5: It does not belong to any of this network's subnets",
            Assert.Throws<EngineException>(() => allocator.Reserve(IPAddress.Parse("fd12:9999::5"))).Message);
        allocator.Release(IPAddress.Parse("fd12:3456::2"));
        Assert.Equal("fd12:3456::6", allocator.Allocate().ToString());
    }

    [Fact]
    public void An_IPv6_range_is_given_from_its_start_and_a_small_subnet_runs_out()
    {
        var ranged = new AddressAllocator(IPNetwork.Parse("fd12:3457::/64"), IPNetwork.Parse("fd12:3457::100/120"), IPAddress.Parse("fd12:3457::99"));
        Assert.Equal("fd12:3457::100", ranged.Allocate().ToString());
        var tiny = new AddressAllocator(IPNetwork.Parse("fd12:3458::/126"), null, IPAddress.Parse("fd12:3458::1"));
        Assert.Equal(["fd12:3458::2", "fd12:3458::3"], [tiny.Allocate().ToString(), tiny.Allocate().ToString()]);
        Assert.Equal("no available IPv6 addresses on this network's address pools: fd12:3458::/126", Assert.Throws<EngineException>(tiny.Allocate).Message);
    }

    [Fact]
    public void The_default_IPv6_pool_is_a_ula_48_of_the_daemon_split_into_64s_skipping_what_is_taken()
    {
        var ula = AddressPools.UlaBase("/var/lib/berth");
        Assert.Equal(48, ula.PrefixLength);
        Assert.Equal(0xfd, ula.BaseAddress.GetAddressBytes()[0]);
        Assert.Equal(ula, AddressPools.UlaBase("/var/lib/berth"));
        Assert.NotEqual(ula, AddressPools.UlaBase("/tmp/other-daemon"));
        var first = AddressPools.PickV6("/var/lib/berth", [IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("fd00::/64")]);
        Assert.Equal(new IPNetwork(ula.BaseAddress, 64), first);
        byte[] second = ula.BaseAddress.GetAddressBytes();
        second[7] = 1;
        Assert.Equal(new IPNetwork(new IPAddress(second), 64), AddressPools.PickV6("/var/lib/berth", [first, IPNetwork.Parse("fd00::/64")]));
    }
}
