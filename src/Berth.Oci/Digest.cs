using System.Security.Cryptography;

namespace Berth.Oci;

/// <summary>
/// A content digest, <c>algorithm:encoded</c> (OCI image spec "Digests"): sha256 (64 lowercase hex
/// characters) and sha512 (128) are accepted. Every blob, layer, manifest and config is named by one.
/// </summary>
public readonly record struct Digest(string Algorithm, string Encoded) : IComparable<Digest>
{
    public const string Sha256 = "sha256";
    public const string Sha512 = "sha512";

    /// <summary>Parses <c>sha256:…</c>; throws <see cref="FormatException"/> with Docker's wording.</summary>
    public static Digest Parse(string text)
        => TryParse(text, out var digest, out string? error) ? digest : throw new FormatException(error);

    public static bool TryParse(string? text, out Digest digest) => TryParse(text, out digest, out _);

    /// <summary>The errors of go-digest, which Docker prints: "invalid checksum digest format",
    /// "unsupported digest algorithm", "invalid checksum digest length".</summary>
    public static bool TryParse(string? text, out Digest digest, out string? error)
    {
        digest = default;
        int colon = text?.IndexOf(':') ?? -1;
        if (text is null || colon <= 0 || colon == text.Length - 1)
        {
            error = "invalid checksum digest format";
            return false;
        }
        string algorithm = text[..colon];
        string encoded = text[(colon + 1)..];
        int length = algorithm switch { Sha256 => 64, Sha512 => 128, _ => -1 };
        if (length < 0)
        {
            error = algorithm.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '+' or '.' or '_' or '-')
                ? "unsupported digest algorithm" : "invalid checksum digest format";
            return false;
        }
        if (encoded.Length != length)
        {
            error = "invalid checksum digest length";
            return false;
        }
        foreach (char c in encoded)
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
            {
                error = "invalid checksum digest format";
                return false;
            }
        }
        digest = new Digest(algorithm, encoded);
        error = null;
        return true;
    }

    public static Digest FromBytes(ReadOnlySpan<byte> data) => new(Sha256, Convert.ToHexStringLower(SHA256.HashData(data)));

    public static Digest FromStream(Stream data) => new(Sha256, Convert.ToHexStringLower(SHA256.HashData(data)));

    /// <summary>An incremental hash for this digest's algorithm, to verify content while it is written.</summary>
    public IncrementalHash CreateHash() => IncrementalHash.CreateHash(Algorithm == Sha512 ? HashAlgorithmName.SHA512 : HashAlgorithmName.SHA256);

    public static Digest FromHash(string algorithm, IncrementalHash hash) => new(algorithm, Convert.ToHexStringLower(hash.GetCurrentHash()));

    public bool IsEmpty => Algorithm is null;

    public override string ToString() => IsEmpty ? "" : $"{Algorithm}:{Encoded}";

    public int CompareTo(Digest other) => string.CompareOrdinal(ToString(), other.ToString());
}
