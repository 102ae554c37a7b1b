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
}
