using Berth.Cli.Output;

namespace Berth.Cli.Tests.Network;

/// <summary>The pieces of docker's network list formatting, against what docker prints (golden strings).</summary>
public class NetworkRowsTests
{
    [Theory]
    [InlineData("2025-05-06T07:08:09.123456789Z", "2025-05-06 07:08:09.123456789 +0000 UTC")]
    [InlineData("2025-01-02T03:04:05Z", "2025-01-02 03:04:05 +0000 UTC")]
    [InlineData("2025-01-02T03:04:05.500+02:00", "2025-01-02 03:04:05.5 +0200 +0200")]
    [InlineData("0001-01-01T00:00:00Z", "0001-01-01 00:00:00 +0000 UTC")]
    [InlineData("", "0001-01-01 00:00:00 +0000 UTC")]
    public void Created_at_is_gos_time_string(string rfc3339, string expected) =>
        Assert.Equal(expected, NetworkRows.GoTimeString(rfc3339));

    [Fact]
    public void Natural_order_compares_numbers_as_numbers()
    {
        string[] names = ["net10", "bridge", "net9", "Net1", "net09", "net", "a1b", "a01b", "9", "10", "_x"];
        var sorted = names.OrderBy(n => n, NaturalOrder.Comparer).ToArray();
        Assert.Equal(["9", "10", "Net1", "_x", "a1b", "a01b", "bridge", "net", "net9", "net09", "net10"], sorted);
    }
}
