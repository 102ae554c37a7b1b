using Berth.Oci.Image;

namespace Berth.Oci.Tests.Image;

/// <summary>Matching and preference, ported from containerd/platforms compare_test.go (TestOnly, TestOnlyStrict).</summary>
public sealed class PlatformMatchTests
{
    public static TheoryData<string, string[], string[]> OnlyCases => new()
    {
        { "linux/amd64", ["linux/amd64", "linux/386"], ["linux/amd64/v2", "linux/arm/v7", "linux/arm64", "windows/amd64", "windows/arm"] },
        { "linux/amd64/v2", ["linux/amd64", "linux/amd64/v1", "linux/amd64/v2", "linux/386"], ["linux/amd64/v3", "linux/amd64/v4", "linux/arm/v7", "linux/arm64", "windows/amd64", "windows/arm"] },
        { "linux/386", ["linux/386"], ["linux/amd64", "linux/arm/v7", "linux/arm64", "windows/amd64", "windows/arm"] },
        { "windows/amd64", ["windows/amd64", "windows(10.0.17763)/amd64"], ["linux/amd64", "linux/arm/v7", "linux/arm64", "windows/arm"] },
        { "linux/arm/v8", ["linux/arm", "linux/arm/v5", "linux/arm/v6", "linux/arm/v7", "linux/arm/v8"], ["linux/amd64", "linux/arm/v4", "linux/arm64", "windows/amd64", "windows/arm"] },
        { "linux/arm/v7", ["linux/arm", "linux/arm/v5", "linux/arm/v6", "linux/arm/v7"], ["linux/amd64", "linux/arm/v4", "linux/arm/v8", "linux/arm64", "windows/amd64", "windows/arm"] },
        { "linux/arm/v6", ["linux/arm/v5", "linux/arm/v6"], ["linux/amd64", "linux/arm", "linux/arm/v4", "linux/arm/v7", "linux/arm/v8", "linux/arm64", "windows/amd64", "windows/arm"] },
        { "linux/arm/v5", ["linux/arm/v5"], ["linux/amd64", "linux/arm", "linux/arm/v4", "linux/arm/v6", "linux/arm/v7", "linux/arm/v8", "linux/arm64", "windows/amd64", "windows/arm"] },
        { "linux/arm/v4", ["linux/arm/v4"], ["linux/amd64", "linux/arm", "linux/arm/v5", "linux/arm/v6", "linux/arm/v7", "linux/arm/v8", "linux/arm64", "windows/amd64", "windows/arm"] },
        {
            "linux/arm64/v9",
            ["linux/arm", "linux/arm/v5", "linux/arm/v6", "linux/arm/v7", "linux/arm/v8", "linux/arm64", "linux/arm64/v8", "linux/arm64/v8.1", "linux/arm64/v8.2", "linux/arm64/v8.3", "linux/arm64/v8.4", "linux/arm64/v8.5", "linux/arm64/v9", "linux/arm64/v9.0"],
            ["linux/amd64", "linux/arm/v4", "windows/amd64", "windows/arm", "linux/arm64/v8.6"]
        },
        { "linux/arm64/v8.1", ["linux/arm", "linux/arm/v5", "linux/arm/v6", "linux/arm/v7", "linux/arm/v8", "linux/arm64", "linux/arm64/v8", "linux/arm64/v8.1"], ["linux/amd64", "linux/arm/v4", "linux/arm/v9", "linux/arm64/v9", "windows/amd64", "windows/arm"] },
        { "linux/arm64", ["linux/arm", "linux/arm/v5", "linux/arm/v6", "linux/arm/v7", "linux/arm/v8", "linux/arm64", "linux/arm64/v8"], ["linux/amd64", "linux/arm/v4", "linux/arm/v9", "linux/arm64/v9", "windows/amd64", "windows/arm"] },
    };

    public static TheoryData<string, string[], string[]> OnlyStrictCases => new()
    {
        { "linux/amd64", ["linux/amd64"], ["linux/386", "linux/arm/v7", "linux/arm64", "windows/amd64", "windows/arm"] },
        { "linux/386", ["linux/386"], ["linux/amd64", "linux/arm/v7", "linux/arm64", "windows/amd64", "windows/arm"] },
        { "windows/amd64", ["windows/amd64", "windows(10.0.17763)/amd64"], ["linux/amd64", "linux/arm/v7", "linux/arm64", "windows/arm"] },
        { "windows(10.0.17763)/amd64", ["windows/amd64", "windows(10.0.17763)/amd64"], ["linux/amd64", "linux/arm/v7", "linux/arm64", "windows/arm"] },
        { "linux/arm/v8", ["linux/arm/v8"], ["linux/arm", "linux/arm/v5", "linux/arm/v6", "linux/arm/v7", "linux/amd64", "linux/arm/v4", "linux/arm64", "windows/amd64", "windows/arm"] },
        { "linux/arm/v7", ["linux/arm", "linux/arm/v7"], ["linux/arm/v5", "linux/arm/v6", "linux/amd64", "linux/arm/v4", "linux/arm/v8", "linux/arm64", "windows/amd64", "windows/arm"] },
        { "linux/arm/v6", ["linux/arm/v6"], ["linux/arm/v5", "linux/amd64", "linux/arm", "linux/arm/v4", "linux/arm/v7", "linux/arm/v8", "linux/arm64", "windows/amd64", "windows/arm"] },
        { "linux/arm64/v9", ["linux/arm64/v9", "linux/arm64/v9.0"], ["linux/arm", "linux/arm/v5", "linux/arm/v6", "linux/arm/v7", "linux/arm/v8", "linux/amd64", "linux/arm/v4", "linux/arm/v9", "linux/arm64/v8", "linux/arm64/v8.1", "windows/amd64", "windows/arm"] },
        { "linux/arm64/v8.1", ["linux/arm64/v8.1"], ["linux/arm", "linux/arm/v5", "linux/arm/v6", "linux/arm/v7", "linux/arm/v8", "linux/amd64", "linux/arm/v4", "linux/arm/v9", "linux/arm64/v8", "linux/arm64/v9", "windows/amd64", "windows/arm"] },
        { "linux/arm64", ["linux/arm64", "linux/arm64/v8"], ["linux/arm", "linux/arm/v5", "linux/arm/v6", "linux/arm/v7", "linux/arm/v8", "linux/amd64", "linux/arm/v4", "linux/arm/v9", "linux/arm64/v9", "windows/amd64", "windows/arm"] },
    };

    [Theory]
    [MemberData(nameof(OnlyCases))]
    public void Only_matches_the_platform_and_what_it_runs(string platform, string[] matching, string[] other)
    {
        AssertMatches(PlatformMatcher.Only(Platform.Parse(platform)), matching, other);
    }

    [Theory]
    [MemberData(nameof(OnlyStrictCases))]
    public void OnlyStrict_matches_the_platform_in_any_spelling(string platform, string[] matching, string[] other)
    {
        AssertMatches(PlatformMatcher.OnlyStrict(Platform.Parse(platform)), matching, other);
    }

    [Fact]
    public void Only_prefers_the_platform_then_older_variants_in_order()
    {
        PlatformMatcher matcher = PlatformMatcher.Only(Platform.Parse("linux/arm64"));

        Assert.Equal(["linux/arm64", "linux/arm/v8", "linux/arm/v7", "linux/arm/v6", "linux/arm/v5"], matcher.Platforms.Select(p => p.ToString()));
        Assert.True(matcher.Rank(Platform.Parse("linux/arm/v7")) < matcher.Rank(Platform.Parse("linux/arm/v6")));
        Assert.Equal(-1, matcher.Rank(Platform.Parse("linux/amd64")));
    }

    [Fact]
    public void Amd64_v3_tries_v2_v1_then_386()
    {
        Assert.Equal(
            ["linux/amd64/v3", "linux/amd64/v2", "linux/amd64", "linux/386"],
            PlatformMatcher.Only(Platform.Parse("linux/amd64/v3")).Platforms.Select(p => p.ToString()));
    }

    [Fact]
    public void Select_picks_the_image_for_the_platform_and_skips_attestations()
    {
        ImageIndex index = OciImageJson.Read<ImageIndex>(RoundTripTests.Fixture(nameof(ImageFixtures.OciIndex)), "index");

        IReadOnlyList<Descriptor> amd64 = PlatformMatcher.Only(Platform.Parse("linux/amd64")).Select(index.Manifests!);
        IReadOnlyList<Descriptor> arm64 = PlatformMatcher.Only(Platform.Parse("linux/arm64")).Select(index.Manifests!);

        Assert.Equal([index.Manifests![0]], amd64);
        Assert.Empty(arm64);
    }

    [Fact]
    public void Select_orders_by_preference_and_keeps_entries_without_platform_last()
    {
        Descriptor Entry(string? platform) => new()
        {
            MediaType = MediaTypes.OciManifest,
            Digest = Digest.FromBytes(System.Text.Encoding.UTF8.GetBytes(platform ?? "none")),
            Size = 1,
            Platform = platform is null ? null : Platform.Parse(platform),
        };
        Descriptor none = Entry(null), v6 = Entry("linux/arm/v6"), v7 = Entry("linux/arm/v7"), arm64 = Entry("linux/arm64"), amd64 = Entry("linux/amd64");

        IReadOnlyList<Descriptor> picked = PlatformMatcher.Only(Platform.Parse("linux/arm64/v8")).Select([none, v6, amd64, v7, arm64]);

        Assert.Equal([arm64, v7, v6, none], picked);
    }

    [Fact]
    public void Ordered_and_any_and_all()
    {
        Platform amd64 = Platform.Parse("linux/amd64"), arm64 = Platform.Parse("linux/arm64");

        Assert.Equal(1, PlatformMatcher.Ordered(arm64, amd64).Rank(amd64));
        Assert.Equal(0, PlatformMatcher.Any(arm64, amd64).Rank(amd64));
        Assert.True(PlatformMatcher.All.Match(new Platform { OS = "plan9", Architecture = "mips" }));
        Assert.False(PlatformMatcher.Ordered(arm64).Match(amd64));
    }

    [Fact]
    public void Default_matches_the_host()
    {
        Assert.True(PlatformMatcher.Default.Match(Platform.Host));
        Assert.Equal("linux", Platform.Host.OS);
        Assert.Equal(0, PlatformMatcher.Default.Rank(Platform.Host));
    }

    private static void AssertMatches(PlatformMatcher matcher, string[] matching, string[] other)
    {
        Assert.All(matching, p => Assert.True(matcher.Match(Platform.Parse(p)), $"{matcher} should match {p}"));
        Assert.All(other, p => Assert.False(matcher.Match(Platform.Parse(p)), $"{matcher} should not match {p}"));
    }
}
