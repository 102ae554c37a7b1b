using System.Text.Json.Serialization;

namespace Berth.Oci.Image;

/// <summary>
/// What an image runs on (OCI image spec v1.1 "platform"; Docker's manifest list adds <c>features</c>).
/// Values are kept as written; <see cref="Normalize"/> and <see cref="PlatformMatcher"/> compare them as containerd's
/// platforms package does, so that <c>aarch64</c> matches <c>arm64</c> and <c>x86_64</c> matches <c>amd64</c>.
/// Equality is by value, including the feature lists.
/// </summary>
public sealed partial record Platform
{
    // Never null: the source generator sets every init property, an absent one to null.
    [JsonPropertyName("architecture")]
    public string Architecture { get; init => field = value ?? ""; } = "";

    [JsonPropertyName("os")]
    public string OS { get; init => field = value ?? ""; } = "";

    [JsonPropertyName("os.version")]
    public string? OSVersion { get; init; }

    [JsonPropertyName("os.features")]
    public IReadOnlyList<string>? OSFeatures { get; init; }

    [JsonPropertyName("variant")]
    public string? Variant { get; init; }

    /// <summary>CPU features (Docker's manifest list); the OCI spec reserves the field.</summary>
    [JsonPropertyName("features")]
    public IReadOnlyList<string>? Features { get; init; }

    /// <summary>containerd's <c>platforms.Format</c>: <c>os/architecture[/variant]</c>, or <c>unknown</c> without an OS.</summary>
    public override string ToString()
    {
        if (OS.Length == 0)
        {
            return "unknown";
        }
        string text = Architecture.Length == 0 ? OS : OS + "/" + Architecture;
        return string.IsNullOrEmpty(Variant) ? text : text + "/" + Variant;
    }

    // An absent string and an empty one are the same to Go (omitempty), so they are the same here.
    public bool Equals(Platform? other) =>
        other is not null
        && Architecture == other.Architecture && OS == other.OS
        && (OSVersion ?? "") == (other.OSVersion ?? "") && (Variant ?? "") == (other.Variant ?? "")
        && SameList(OSFeatures, other.OSFeatures) && SameList(Features, other.Features);

    public override int GetHashCode() => HashCode.Combine(Architecture, OS, OSVersion ?? "", Variant ?? "");

    private static bool SameList(IReadOnlyList<string>? a, IReadOnlyList<string>? b) =>
        (a ?? []).SequenceEqual(b ?? []);
}
