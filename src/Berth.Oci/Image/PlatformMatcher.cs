namespace Berth.Oci.Image;

/// <summary>
/// Which platforms an image may have, in order of preference: containerd's <c>platforms.Only</c>, <c>Ordered</c>,
/// <c>Any</c> and <c>All</c> (compare.go). Two platforms match when their normalised OS, architecture and variant are
/// equal (<see cref="Platform.Normalize"/>); OS version and features are not compared (containerd compares OS versions
/// only for Windows).
/// <para>
/// <see cref="Only"/> adds what the platform can also run, after it: <c>amd64/vN</c> runs <c>amd64/v(N-1)</c> down to
/// v1 and then <c>386</c>; <c>arm/vN</c> runs <c>arm</c> down to v5; <c>arm64/v8.x</c> runs lower v8 minors, v9.x
/// runs lower v9 minors and then v8.(x+5), and every arm64 runs <c>arm/v8</c> to <c>arm/v5</c>.
/// </para>
/// </summary>
public sealed class PlatformMatcher
{
    // arm64 variant -> (major, highest minor) pairs to try, from containerd's arm64variantToVersion.
    private static readonly Dictionary<string, (int Major, int Minor)[]> Arm64Versions = BuildArm64Versions();

    // Null: all platforms, no preference. Otherwise the normalised platforms in preference order.
    private readonly Platform[]? _platforms;
    private readonly bool _ordered;

    private PlatformMatcher(Platform[]? platforms, bool ordered)
    {
        _platforms = platforms;
        _ordered = ordered;
    }

    /// <summary>Every platform, no preference.</summary>
    public static PlatformMatcher All { get; } = new(null, ordered: false);

    /// <summary>The host's platform and what it can run: what Docker pulls by default.</summary>
    public static PlatformMatcher Default => Only(Platform.Host);

    /// <summary><paramref name="platform"/> first, then the platforms it is compatible with.</summary>
    public static PlatformMatcher Only(Platform platform) => new([.. Vector(platform.Normalize())], ordered: true);

    /// <summary><paramref name="platform"/> alone, in any spelling (<c>aarch64</c> matches <c>arm64</c>).</summary>
    public static PlatformMatcher OnlyStrict(Platform platform) => new([platform.Normalize()], ordered: true);

    /// <summary>Any of <paramref name="platforms"/>, preferring earlier ones.</summary>
    public static PlatformMatcher Ordered(params Platform[] platforms) => new([.. platforms.Select(p => p.Normalize())], ordered: true);

    /// <summary>Any of <paramref name="platforms"/>, without preference among them.</summary>
    public static PlatformMatcher Any(params Platform[] platforms) => new([.. platforms.Select(p => p.Normalize())], ordered: false);

    /// <summary>The normalised platforms this matcher accepts, in preference order; empty for <see cref="All"/>.</summary>
    public IReadOnlyList<Platform> Platforms => _platforms ?? [];

    public bool Match(Platform platform) => Rank(platform) >= 0;

    /// <summary>
    /// The preference of <paramref name="platform"/>: 0 is best, -1 is no match. Sorting by rank is containerd's
    /// <c>Less</c>: the platform matched by an earlier entry comes first.
    /// </summary>
    public int Rank(Platform platform)
    {
        if (_platforms is null)
        {
            return 0;
        }
        Platform candidate = platform.Normalize();
        for (int i = 0; i < _platforms.Length; i++)
        {
            Platform wanted = _platforms[i];
            if (wanted.OS == candidate.OS && wanted.Architecture == candidate.Architecture && wanted.Variant == candidate.Variant)
            {
                return _ordered ? i : 0;
            }
        }
        return -1;
    }

    /// <summary>
    /// The entries of an index that this matcher accepts, best first, as containerd picks an image's manifest: entries
    /// without a platform are kept (after the others), the sort is stable.
    /// </summary>
    public IReadOnlyList<Descriptor> Select(IEnumerable<Descriptor> manifests) =>
        [.. manifests
            .Select(d => (Descriptor: d, Rank: d.Platform is null ? int.MaxValue : Rank(d.Platform)))
            .Where(e => e.Rank >= 0)
            .OrderBy(e => e.Rank)
            .Select(e => e.Descriptor)];

    public override string ToString() => _platforms is null ? "all" : string.Join(", ", _platforms.Select(p => p.ToString()));

    // containerd's platformVector, on a normalised platform.
    private static IEnumerable<Platform> Vector(Platform platform)
    {
        switch (platform.Architecture)
        {
            case "amd64":
                yield return platform;
                if (TryVersion(platform.Variant, out int amd64) && amd64 > 1)
                {
                    for (int v = amd64 - 1; v >= 1; v--)
                    {
                        // v1 is amd64's default and normalises to no variant.
                        yield return platform with { Variant = v == 1 ? null : "v" + v };
                    }
                }
                yield return platform with { Architecture = "386", Variant = null };
                break;
            case "arm":
                yield return platform;
                if (TryVersion(platform.Variant, out int arm) && arm > 5)
                {
                    for (int v = arm - 1; v >= 5; v--)
                    {
                        yield return platform with { Variant = "v" + v };
                    }
                }
                break;
            case "arm64":
                string variant = platform.Variant ?? "v8";
                if (Arm64Versions.TryGetValue(variant, out (int Major, int Minor)[]? versions))
                {
                    foreach ((int major, int highest) in versions)
                    {
                        for (int minor = highest; minor >= 0; minor--)
                        {
                            string name = minor == 0 ? $"v{major}" : $"v{major}.{minor}";
                            yield return (platform with { Variant = name }).Normalize();
                        }
                    }
                }
                // Every arm64 v8.x and v9.x runs 32-bit arm v8 and below.
                if (variant.StartsWith("v8", StringComparison.Ordinal) || variant.StartsWith("v9", StringComparison.Ordinal))
                {
                    variant = "v8";
                }
                foreach (Platform arm32 in Vector(platform with { Architecture = "arm", Variant = variant }))
                {
                    yield return arm32;
                }
                break;
            default:
                yield return platform;
                break;
        }
    }

    private static bool TryVersion(string? variant, out int version)
    {
        version = 0;
        return variant is not null && int.TryParse(variant.StartsWith('v') ? variant[1..] : variant, out version);
    }

    private static Dictionary<string, (int Major, int Minor)[]> BuildArm64Versions()
    {
        Dictionary<string, (int, int)[]> versions = new()
        {
            ["v8"] = [(8, 0)],
            ["v9"] = [(9, 0), (8, 5)],
        };
        for (int minor = 0; minor <= 9; minor++)
        {
            versions[$"v8.{minor}"] = [(8, minor)];
        }
        for (int minor = 0; minor <= 7; minor++)
        {
            versions[$"v9.{minor}"] = [(9, minor), (8, Math.Min(minor + 5, 9))];
        }
        return versions;
    }
}
