using Berth.Cli.Credentials;

namespace Berth.Cli.Tests.Credentials;

/// <summary>The texts docker's client computes: its registry keys (ConvertToHostname's own cases) and Go's JSON of what it sends.</summary>
public class CredentialsTextTests
{
    [Theory]
    [InlineData("127.0.0.1:5000", "127.0.0.1:5000")]
    [InlineData("http://127.0.0.1:5000/", "127.0.0.1:5000")]
    [InlineData("https://registry.example.com/v1/", "registry.example.com")]
    [InlineData("https://user:pw@registry.example.com:8443/v2/x", "registry.example.com:8443")]
    [InlineData("registry.example.com/path", "registry.example.com")]
    [InlineData("http://[::1]:5000/", "[::1]:5000")]
    public void ConvertToHostname_gives_the_host_and_port(string address, string host) =>
        Assert.Equal(host, RegistryAddress.ConvertToHostname(address));

    [Fact]
    public void Docker_Hub_is_keyed_by_its_v1_url() =>
        Assert.Equal(["https://index.docker.io/v1/", "https://index.docker.io/v1/", "ghcr.io"],
            new[] { "docker.io", "index.docker.io", "ghcr.io" }.Select(RegistryAddress.KeyOf));

    [Fact]
    public void Json_escapes_as_gos_encoder_does() =>
        Assert.Equal("{\"Username\":\"\\u003ctoken\\u003e\",\"Secret\":\"a\\u0026b\\\"c\\\\\\n\\u0001\\u2028é\"}",
            GoJsonText.Object([("Username", "<token>"), ("Secret", "a&b\"c\\\n\u0001\u2028é")], omitEmpty: false));

    [Fact]
    public void An_auth_config_leaves_out_its_empty_fields_in_gos_order() =>
        Assert.Equal("{\"username\":\"u\",\"password\":\"p\",\"serveraddress\":\"h\"}",
            new AuthEntry { ServerAddress = "h", Password = "p", Username = "u" }.ToJson());
}
