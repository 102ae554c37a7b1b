using Berth.Cli.CommandLine;
using Berth.Cli.Output;

namespace Berth.Cli.Tests.Output;

/// <summary>docker/go-units' own test cases: HumanDuration, HumanSize, BytesSize, RAMInBytes.</summary>
public class HumanUnitsTests
{
    static readonly TimeSpan Day = TimeSpan.FromHours(24);
    static readonly TimeSpan Week = 7 * Day;
    static readonly TimeSpan Month = 30 * Day;
    static readonly TimeSpan Year = 365 * Day;

    public static TheoryData<TimeSpan, string> Durations() => new()
    {
        { TimeSpan.FromMilliseconds(450), "Less than a second" },
        { TimeSpan.FromSeconds(1), "1 second" },
        { TimeSpan.FromSeconds(45), "45 seconds" },
        { TimeSpan.FromSeconds(59), "59 seconds" },
        { TimeSpan.FromSeconds(60), "About a minute" },
        { TimeSpan.FromMinutes(3), "3 minutes" },
        { TimeSpan.FromMinutes(35) + TimeSpan.FromSeconds(40), "35 minutes" },
        { TimeSpan.FromMinutes(59), "59 minutes" },
        { TimeSpan.FromHours(1), "About an hour" },
        { TimeSpan.FromHours(1) + TimeSpan.FromMinutes(29), "About an hour" },
        { TimeSpan.FromHours(1) + TimeSpan.FromMinutes(31), "2 hours" },
        { TimeSpan.FromHours(3) + TimeSpan.FromMinutes(29), "3 hours" },
        { TimeSpan.FromHours(3) + TimeSpan.FromMinutes(31), "4 hours" },
        { TimeSpan.FromHours(24), "24 hours" },
        { Day + TimeSpan.FromHours(12), "36 hours" },
        { 2 * Day, "2 days" },
        { 7 * Day, "7 days" },
        { 13 * Day + TimeSpan.FromHours(5), "13 days" },
        { 2 * Week, "2 weeks" },
        { 2 * Week + 4 * Day, "2 weeks" },
        { 4 * Week + 3 * Day, "4 weeks" },
        { Month, "4 weeks" },
        { Month + 2 * Week, "6 weeks" },
        { 2 * Month, "2 months" },
        { 3 * Month + Week, "3 months" },
        { 13 * Month, "13 months" },
        { 24 * Month, "24 months" },
        { 24 * Month + 2 * Week, "2 years" },
        { 3 * Year + 2 * Month, "3 years" },
    };

    [Theory]
    [MemberData(nameof(Durations))]
    public void Durations_read_as_docker_prints_them(TimeSpan duration, string expected) =>
        Assert.Equal(expected, HumanUnits.Duration(duration));

    [Theory]
    [InlineData(0, "0B")]
    [InlineData(999, "999B")]
    [InlineData(1000, "1kB")]
    [InlineData(1024, "1.024kB")]
    [InlineData(1000000, "1MB")]
    [InlineData(1048576, "1.049MB")]
    [InlineData(3.42e9, "3.42GB")]
    [InlineData(5.372e12, "5.372TB")]
    [InlineData(2.22e15, "2.22PB")]
    [InlineData(1e28, "1e+04YB")]
    public void HumanSize_has_four_significant_digits(double size, string expected) =>
        Assert.Equal(expected, HumanUnits.Size(size, 4));

    [Theory]
    [InlineData(1984172, "1.98MB")]
    [InlineData(4260000, "4.26MB")]
    [InlineData(0, "0B")]
    [InlineData(12345678901, "12.3GB")]
    [InlineData(999.9, "1e+03B")]
    public void Listing_sizes_have_three(double size, string expected) => Assert.Equal(expected, HumanUnits.Size(size));

    [Theory]
    [InlineData(1024, "1KiB")]
    [InlineData(1048576, "1MiB")]
    [InlineData(3.42 * 1024 * 1024 * 1024, "3.42GiB")]
    [InlineData(25270000000, "23.53GiB")]
    public void BytesSize_uses_binary_units(double size, string expected) => Assert.Equal(expected, HumanUnits.BytesSize(size));

    [Theory]
    [InlineData("32", 32)]
    [InlineData("32b", 32)]
    [InlineData("32B", 32)]
    [InlineData("32k", 32 * 1024)]
    [InlineData("32K", 32 * 1024)]
    [InlineData("32kb", 32 * 1024)]
    [InlineData("32Kb", 32 * 1024)]
    [InlineData("32Mb", 32 * 1024 * 1024)]
    [InlineData("32Gb", 32L * 1024 * 1024 * 1024)]
    [InlineData("32Tb", 32L * 1024 * 1024 * 1024 * 1024)]
    [InlineData("32Pb", 32L * 1024 * 1024 * 1024 * 1024 * 1024)]
    [InlineData("32.3", 32)]
    [InlineData("32.3 mb", 33869004)]
    [InlineData("1GiB", 1024 * 1024 * 1024)]
    public void RamInBytes_parses_docker_sizes(string text, long expected) => Assert.Equal(expected, HumanUnits.RamInBytes(text));

    [Theory]
    [InlineData("")]
    [InlineData("hello")]
    [InlineData("-32")]
    [InlineData(" 32 ")]
    [InlineData("32m b")]
    [InlineData("32bm")]
    public void RamInBytes_refuses_the_rest(string text)
    {
        var e = Assert.Throws<FlagValueException>(() => HumanUnits.RamInBytes(text));
        Assert.Equal($"invalid size: '{text}'", e.Message);
    }
}
