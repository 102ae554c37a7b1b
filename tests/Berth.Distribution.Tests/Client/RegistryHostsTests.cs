using Berth.Distribution.Client;

namespace Berth.Distribution.Tests.Client;

public sealed class RegistryHostsTests
{
    [Theory]
    [InlineData("127.0.0.1:5000", "https://127.0.0.1:5000/ http://127.0.0.1:5000/")]
    [InlineData("localhost:5000", "https://localhost:5000/ http://localhost:5000/")]
    [InlineData("127.9.9.9", "https://127.9.9.9/ http://127.9.9.9/")]
    [InlineData("registry.example:5000", "https://registry.example:5000/")]
    [InlineData("10.1.2.3:5000", "https://10.1.2.3:5000/")]
    public void Loopback_is_insecure_by_default_https_then_http_and_everything_else_https(string domain, string endpoints)
        => Assert.Equal(endpoints, string.Join(' ', new RegistryHosts().Endpoints(domain)));

    [Fact]
    public void Insecure_registries_by_name_and_by_cidr_fall_back_to_http()
    {
        var hosts = new RegistryHosts(["registry.example:5000", "10.0.0.0/8"]);
        Assert.Equal("https://registry.example:5000/ http://registry.example:5000/", string.Join(' ', hosts.Endpoints("registry.example:5000")));
        Assert.Equal("https://10.1.2.3:5000/ http://10.1.2.3:5000/", string.Join(' ', hosts.Endpoints("10.1.2.3:5000")));
        Assert.Equal("https://11.1.2.3/", string.Join(' ', hosts.Endpoints("11.1.2.3")));
    }

    [Fact]
    public void Docker_hub_goes_through_the_mirrors_first()
    {
        var hosts = new RegistryHosts(mirrors: ["http://127.0.0.1:5001"]);
        Assert.Equal(["http://127.0.0.1:5001/", "https://registry-1.docker.io/"], hosts.Endpoints("docker.io").Select(u => u.ToString()));
        Assert.Equal(["https://127.0.0.1:5000/", "http://127.0.0.1:5000/"], hosts.Endpoints("127.0.0.1:5000").Select(u => u.ToString()));
        Assert.Equal(["https://registry-1.docker.io/"], hosts.Own("docker.io").Select(u => u.ToString()));
    }

    [Theory]
    [InlineData("https://index.docker.io/v1/", "docker.io")]
    [InlineData("", "docker.io")]
    [InlineData("127.0.0.1:5000", "127.0.0.1:5000")]
    [InlineData("http://127.0.0.1:5000/v2/", "127.0.0.1:5000")]
    public void Login_server_addresses_name_their_registry(string server, string domain)
        => Assert.Equal(domain, RegistryHosts.DomainOf(server));
}
