using System.Text;
using Berth.Oci.Image;

namespace Berth.Oci.Tests.Image;

/// <summary>Go's string escaping (Go 1.22+, which builds today's Docker) and Go's time format.</summary>
public sealed class GoOutputTests
{
    [Theory]
    [InlineData("apt-get update && rm -rf /x", "apt-get update \\u0026\\u0026 rm -rf /x")]
    [InlineData("<b>", "\\u003cb\\u003e")]
    [InlineData("quote\" backslash\\ slash/", "quote\\\" backslash\\\\ slash/")]
    [InlineData("\n\r\t\b\f", "\\n\\r\\t\\b\\f")]
    [InlineData("\u0001\u001b\u001f", "\\u0001\\u001b\\u001f")]
    [InlineData("\u007f", "\u007f")]
    [InlineData("grüße € 日本 😀", "grüße € 日本 😀")]
    [InlineData("line\u2028para\u2029", "line\\u2028para\\u2029")]
    [InlineData("+`'", "+`'")]
    [InlineData("\ufffd", "\ufffd")]
    public void Strings_are_escaped_as_go_escapes_them(string value, string escaped)
    {
        Assert.Equal($$"""{"created_by":"{{escaped}}"}""", Write(new History { CreatedBy = value }));
    }

    [Fact]
    public void Lone_surrogates_are_written_as_go_writes_invalid_utf8()
    {
        Assert.Equal("{\"created_by\":\"a\\ufffdb\"}", Write(new History { CreatedBy = "a\ud800b" }));
    }

    [Fact]
    public void Keys_are_escaped_too()
    {
        ImageConfig config = new() { Config = new ExecutionConfig { Labels = new Dictionary<string, string> { ["a&b"] = "<v>" } } };

        Assert.Contains("""{"Labels":{"a\u0026b":"\u003cv\u003e"}}""", Encoding.UTF8.GetString(OciImageJson.Write(config)));
    }

    [Theory]
    [InlineData("2024-01-02T03:04:05Z", "2024-01-02T03:04:05Z", 0)]
    [InlineData("2024-01-02T03:04:05.5Z", "2024-01-02T03:04:05.5Z", 500_000_000)]
    [InlineData("2024-01-02T03:04:05.120Z", "2024-01-02T03:04:05.12Z", 120_000_000)]
    [InlineData("2024-01-02T03:04:05.123456789Z", "2024-01-02T03:04:05.123456789Z", 123_456_789)]
    [InlineData("2024-01-02T03:04:05.000000001Z", "2024-01-02T03:04:05.000000001Z", 1)]
    [InlineData("2024-01-02T03:04:05.1234567891Z", "2024-01-02T03:04:05.123456789Z", 123_456_789)]
    [InlineData("2024-01-02T03:04:05.25+05:30", "2024-01-02T03:04:05.25+05:30", 250_000_000)]
    [InlineData("2024-01-02T03:04:05-00:00", "2024-01-02T03:04:05Z", 0)]
    [InlineData("0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z", 0)]
    public void Times_keep_nanoseconds_and_offset(string text, string written, int nanosecond)
    {
        Assert.True(Timestamp.TryParse(text, out Timestamp value));

        Assert.Equal(written, value.ToString());
        Assert.Equal(nanosecond, value.Nanosecond);
    }

    [Theory]
    [InlineData("2024-01-02 03:04:05Z")]
    [InlineData("2024-01-02T03:04:05")]
    [InlineData("2024-01-02T03:04:05.Z")]
    [InlineData("2024-13-02T03:04:05Z")]
    [InlineData("2024-02-30T03:04:05Z")]
    [InlineData("2024-01-02T24:04:05Z")]
    [InlineData("2024-01-02T03:04:60Z")]
    [InlineData("2024-01-02T03:04:05+0530")]
    [InlineData("2024-01-02t03:04:05z")]
    [InlineData("0000-01-01T00:00:00Z")]
    public void Times_go_refuses_are_refused(string text)
    {
        Assert.False(Timestamp.TryParse(text, out _));
    }

    [Fact]
    public void Times_compare_by_instant()
    {
        Assert.True(Timestamp.TryParse("2024-01-02T03:04:05.000000001Z", out Timestamp utc));
        Assert.True(Timestamp.TryParse("2024-01-02T04:04:05.000000001+01:00", out Timestamp paris));
        Assert.True(Timestamp.TryParse("2024-01-02T03:04:05.000000002Z", out Timestamp later));

        Assert.Equal(utc, paris);
        Assert.True(utc.CompareTo(later) < 0);
        Assert.Equal(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero), utc.Value);
        Assert.Equal("2024-01-02T03:04:05.1234567Z", ((Timestamp)new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(1234567)).ToString());
    }

    private static string Write(History history) =>
        Encoding.UTF8.GetString(OciImageJson.Write(new ImageConfig { History = [history] }))
            .Replace("{\"architecture\":\"\",\"history\":[", "", StringComparison.Ordinal)
            .Replace("],\"os\":\"\"}", "", StringComparison.Ordinal);
}
