using System.Diagnostics.CodeAnalysis;
using Berth.Oci;

namespace Berth.Images.References;

/// <summary>
/// What users type, made canonical as Docker does (distribution's normalize.go): <c>busybox</c> is
/// <c>docker.io/library/busybox</c>, <c>user/app</c> is <c>docker.io/user/app</c>, <c>index.docker.io</c> is
/// <c>docker.io</c>, and a first component is a registry only if it has a <c>.</c> or <c>:</c>, is <c>localhost</c>,
/// or has uppercase letters.
/// </summary>
public sealed partial class Reference
{
    private const string LegacyDefaultDomain = "index.docker.io";
    private const string OfficialRepositoryPrefix = "library/";
    private const string Localhost = "localhost";

    /// <summary>
    /// Parses what a user typed into a full reference, without adding a tag (see <see cref="WithDefaultTag"/>).
    /// A 64-hex-digit string is refused: it is an image ID (see <see cref="ParseAny"/>).
    /// </summary>
    /// <exception cref="StoreException">InvalidArgument, with Docker's message.</exception>
    public static Reference ParseNormalized(string s) =>
        TryParseNormalized(s, out Reference? reference, out string? error) ? reference : throw StoreException.Invalid(error);

    public static bool TryParseNormalized(string s, [NotNullWhen(true)] out Reference? reference, [NotNullWhen(false)] out string? error)
    {
        reference = null;
        if (ReferenceGrammar.AnchoredIdentifier().IsMatch(s))
        {
            error = ReferenceErrors.HexadecimalName(s);
            return false;
        }
        (string domain, string remainder) = SplitDockerDomain(s);
        int colon = remainder.IndexOf(':');
        string remote = colon >= 0 ? remainder[..colon] : remainder;
        if (remote.ToLowerInvariant() != remote)
        {
            error = ReferenceErrors.NormalizedNameContainsUppercase(remote);
            return false;
        }
        return TryParse(domain + "/" + remainder, out reference, out error);
    }

    /// <summary>
    /// An image ID (64 hex digits, or a digest like <c>sha256:…</c>) as a digest-only reference, anything else as
    /// <see cref="ParseNormalized"/> (distribution's ParseAnyReference, which <c>docker rmi</c> and friends use).
    /// </summary>
    /// <exception cref="StoreException">InvalidArgument, with Docker's message.</exception>
    public static Reference ParseAny(string s)
    {
        if (ReferenceGrammar.AnchoredIdentifier().IsMatch(s))
        {
            return new Reference("", "", null, new Digest(Oci.Digest.Sha256, s));
        }
        return Oci.Digest.TryParse(s, out Digest digest) ? new Reference("", "", null, digest) : ParseNormalized(s);
    }

    /// <summary>
    /// What containerd and BuildKit pull: normalised, <c>:latest</c> added to a bare name, and a tag dropped when a
    /// digest is also given (the digest decides; distribution's ParseDockerRef).
    /// </summary>
    /// <exception cref="StoreException">InvalidArgument, with Docker's message.</exception>
    public static Reference ParseDockerRef(string s)
    {
        Reference reference = ParseNormalized(s);
        return reference is { Tag: not null, Digest: not null }
            ? new Reference(reference.Domain, reference.Path, null, reference.Digest)
            : reference.WithDefaultTag();
    }

    /// <summary>A reference that must already be in its full form (distribution's ParseNamed).</summary>
    /// <exception cref="StoreException"><c>repository name must be canonical</c>, or a parse error.</exception>
    public static Reference ParseNamed(string s)
    {
        Reference reference = ParseNormalized(s);
        return reference.ToString() == s ? reference : throw StoreException.Invalid(ReferenceErrors.NameNotCanonical);
    }

    /// <summary>
    /// Whether <paramref name="pattern"/> (Go's <c>path.Match</c>: <c>*</c>, <c>?</c>, <c>[a-z]</c>, none crossing
    /// <c>/</c>) matches the familiar string, or else the familiar name: <c>docker images --filter reference=…</c>.
    /// </summary>
    /// <exception cref="StoreException"><c>syntax error in pattern</c>.</exception>
    public bool FamiliarMatch(string pattern)
    {
        bool matched = GoPathMatch.Match(pattern, FamiliarString);
        return matched || (!IsDigestOnly && GoPathMatch.TryMatch(pattern, FamiliarName, out bool byName) && byName);
    }

    // distribution's splitDockerDomain: the first path element is a registry when it looks like a host.
    private static (string Domain, string Remainder) SplitDockerDomain(string name)
    {
        int slash = name.IndexOf('/');
        if (slash < 0)
        {
            // A single element ("ubuntu", "ubuntu:latest") is never a host, not even "localhost".
            return (DefaultDomain, OfficialRepositoryPrefix + name);
        }
        string maybeDomain = name[..slash];
        string rest = name[(slash + 1)..];
        (string domain, string remainder) = maybeDomain switch
        {
            Localhost => (maybeDomain, rest),
            LegacyDefaultDomain => (DefaultDomain, rest),
            _ when maybeDomain.AsSpan().IndexOfAny('.', ':') >= 0 => (maybeDomain, rest),
            // Namespaces are lowercase, so an uppercase first element can only be a host.
            _ when maybeDomain.ToLowerInvariant() != maybeDomain => (maybeDomain, rest),
            _ => (DefaultDomain, name),
        };
        if (domain == DefaultDomain && !remainder.Contains('/'))
        {
            remainder = OfficialRepositoryPrefix + remainder;
        }
        return (domain, remainder);
    }
}
