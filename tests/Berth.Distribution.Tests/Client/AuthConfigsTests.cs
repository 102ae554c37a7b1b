using System.Text;
using Berth.Distribution.Client;

namespace Berth.Distribution.Tests.Client;

public sealed class AuthConfigsTests
{
    static string Encode(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).Replace('+', '-').Replace('/', '_').TrimEnd('=');

    [Fact]
    public void The_header_carries_user_and_password_in_base64url_json()
    {
        var credentials = AuthConfigs.FromHeader(Encode("{\"username\":\"u?>\",\"password\":\"p~~\",\"serveraddress\":\"127.0.0.1:5000\"}"));
        Assert.Equal("u?>", credentials.Username);
        Assert.Equal("p~~", credentials.Password);
    }

    [Fact]
    public void An_auth_field_stands_for_user_and_password()
    {
        string auth = Convert.ToBase64String(Encoding.UTF8.GetBytes("user:pa:ss"));
        var credentials = AuthConfigs.FromHeader(Encode($"{{\"auth\":\"{auth}\"}}"));
        Assert.Equal("user", credentials.Username);
        Assert.Equal("pa:ss", credentials.Password);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("e30=")]
    [InlineData("not base64 !!")]
    public void Empty_or_unreadable_headers_are_anonymous(string? header)
        => Assert.True(AuthConfigs.FromHeader(header).IsAnonymous);
}
