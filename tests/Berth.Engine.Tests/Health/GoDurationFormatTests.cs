namespace Berth.Engine.Tests.Health;

/// <summary>Go's Duration.String, which Docker's health check timeout message shows.</summary>
public sealed class GoDurationFormatTests
{
    [Theory]
    [InlineData(0L, "0s")]
    [InlineData(100L, "100ns")]
    [InlineData(1_500L, "1.5µs")]
    [InlineData(500_000_000L, "500ms")]
    [InlineData(1_250_000L, "1.25ms")]
    [InlineData(1_000_000_000L, "1s")]
    [InlineData(1_500_000_000L, "1.5s")]
    [InlineData(30_000_000_000L, "30s")]
    [InlineData(90_000_000_000L, "1m30s")]
    [InlineData(7_200_000_000_000L, "2h0m0s")]
    [InlineData(-2_000_000_000L, "-2s")]
    public void Durations_read_as_go_writes_them(long nanoseconds, string expected)
        => Assert.Equal(expected, GoDuration.Format(TimeSpan.FromTicks(nanoseconds / TimeSpan.NanosecondsPerTick)));
}
