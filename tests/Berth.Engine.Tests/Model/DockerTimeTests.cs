using Berth.Engine.Model;

namespace Berth.Engine.Tests.Model;

public sealed class DockerTimeTests
{
    [Fact]
    public void The_zero_time_is_gos()
    {
        Assert.Equal("0001-01-01T00:00:00Z", DockerTime.Format(default));
        Assert.Equal(DockerTime.Zero, DockerTime.Format(DateTimeOffset.MinValue));
    }

    [Fact]
    public void Fractions_lose_their_trailing_zeros_and_vanish_when_zero()
    {
        var t = new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero);
        Assert.Equal("2024-01-02T03:04:05Z", DockerTime.Format(t));
        Assert.Equal("2024-01-02T03:04:05.5Z", DockerTime.Format(t.AddMilliseconds(500)));
        Assert.Equal("2024-01-02T03:04:05.1234567Z", DockerTime.Format(t.AddTicks(1234567)));
        Assert.Equal("2024-01-02T03:04:05.00001Z", DockerTime.Format(t.AddTicks(100)));
    }

    [Fact]
    public void A_non_utc_offset_is_written_numerically()
    {
        var t = new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.FromHours(-5.5));
        Assert.Equal("2024-01-02T03:04:05-05:30", DockerTime.Format(t));
    }

    [Fact]
    public void Unix_nanoseconds_keep_all_nine_digits()
    {
        Assert.Equal("2026-11-30T01:20:17.892567055Z", DockerTime.FormatUnixNanoseconds(1796001617892567055));
        Assert.Equal("2026-11-30T01:20:17.8Z", DockerTime.FormatUnixNanoseconds(1796001617800000000));
        Assert.Equal("1970-01-01T00:00:00Z", DockerTime.FormatUnixNanoseconds(0));
        Assert.Equal("1969-12-31T23:59:59.999999999Z", DockerTime.FormatUnixNanoseconds(-1));
    }

    [Theory]
    [InlineData("2026-11-30T01:20:17.892567055Z", "2026-11-30T01:20:17.8925670Z")]
    [InlineData("2026-11-30T01:20:17Z", "2026-11-30T01:20:17.0000000Z")]
    [InlineData("2026-11-30t01:20:17.5+02:00", "2026-11-29T23:20:17.5000000Z")]
    [InlineData("0001-01-01T00:00:00Z", "0001-01-01T00:00:00.0000000Z")]
    public void Rfc3339_with_any_precision_is_read(string text, string utc)
    {
        Assert.True(DockerTime.TryParse(text, out DateTimeOffset value));
        Assert.Equal(utc, value.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("2026-11-30")]
    [InlineData("2026-11-30T01:20:17")]
    [InlineData("2026-11-30 01:20:17Z")]
    [InlineData("2026-11-30T01:20:17.Z")]
    [InlineData("2026-11-30T01:20:17+0200")]
    [InlineData("2026-13-30T01:20:17Z")]
    public void Anything_else_is_refused(string text)
    {
        Assert.False(DockerTime.TryParse(text, out _));
    }
}
