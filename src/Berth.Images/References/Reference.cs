using Berth.Oci;

namespace Berth.Images.References;

/// <summary>
/// An image reference, <c>[domain[:port]/]path[:tag][@digest]</c>, as distribution/reference defines it and Docker
/// uses it: <c>busybox</c> is <c>docker.io/library/busybox</c> once normalised (<see cref="ParseNormalized"/>) and
/// shows as <c>busybox</c> again (<see cref="FamiliarName"/>). A reference may carry both a tag and a digest; the
/// digest then decides what it names. <see cref="ParseAny"/> also gives digest-only references, for image IDs.
/// Immutable; equal when domain, path, tag and digest are.
/// </summary>
public sealed partial class Reference : IEquatable<Reference>
{
    /// <summary>Docker Hub's canonical domain.</summary>
    public const string DefaultDomain = "docker.io";

    /// <summary>The tag <see cref="WithDefaultTag"/> adds.</summary>
    public const string DefaultTag = "latest";

    private Reference(string domain, string path, string? tag, Digest? digest)
    {
        Domain = domain;
        Path = path;
        Tag = tag;
        Digest = digest;
    }

    /// <summary><c>docker.io</c>, <c>localhost:5000</c>, <c>[::1]:5000</c>; empty when the input had none and was not normalised.</summary>
    public string Domain { get; }

    /// <summary>The repository path: <c>library/busybox</c>; empty for a digest-only reference.</summary>
    public string Path { get; }

    public string? Tag { get; }

    public Digest? Digest { get; }

    /// <summary>Domain and path: <c>docker.io/library/busybox</c>.</summary>
    public string Name => Domain.Length == 0 ? Path : Domain + "/" + Path;

    /// <summary>No tag and no digest.</summary>
    public bool IsNameOnly => Tag is null && Digest is null;

    /// <summary>Only a digest: an image ID or content digest from <see cref="ParseAny"/>, no repository.</summary>
    public bool IsDigestOnly => Path.Length == 0;

    /// <summary>The name as Docker shows it: without <c>docker.io/</c>, and without <c>library/</c> for official images.</summary>
    public string FamiliarName
    {
        get
        {
            if (Domain != DefaultDomain)
            {
                return Name;
            }
            // Only one level below library/: "library/foo/bar" stays as it is (distribution's familiarizeName).
            return Path.StartsWith(OfficialRepositoryPrefix, StringComparison.Ordinal) && Path.IndexOf('/', OfficialRepositoryPrefix.Length) < 0
                ? Path[OfficialRepositoryPrefix.Length..]
                : Path;
        }
    }

    /// <summary>The reference as Docker shows it: <c>busybox:latest</c>, <c>user/app@sha256:…</c>.</summary>
    public string FamiliarString => IsDigestOnly ? Digest.ToString()! : Format(FamiliarName);

    /// <summary>The full reference: <c>docker.io/library/busybox:latest</c>; a digest-only reference is its digest.</summary>
    public override string ToString() => IsDigestOnly ? Digest.ToString()! : Format(Name);

    /// <summary>The same name with <paramref name="tag"/>; a digest is kept.</summary>
    /// <exception cref="StoreException"><c>invalid tag format</c>.</exception>
    public Reference WithTag(string tag)
    {
        RequireName();
        return ReferenceGrammar.AnchoredTag().IsMatch(tag)
            ? new Reference(Domain, Path, tag, Digest)
            : throw StoreException.Invalid(ReferenceErrors.InvalidTagFormat);
    }

    /// <summary>The same name with <paramref name="digest"/>; a tag is kept.</summary>
    /// <exception cref="StoreException"><c>invalid digest format</c>.</exception>
    public Reference WithDigest(Digest digest)
    {
        RequireName();
        return ReferenceGrammar.AnchoredDigest().IsMatch(digest.ToString())
            ? new Reference(Domain, Path, Tag, digest)
            : throw StoreException.Invalid(ReferenceErrors.InvalidDigestFormat);
    }

    /// <summary><c>:latest</c> added when there is neither tag nor digest (distribution's TagNameOnly).</summary>
    public Reference WithDefaultTag() => IsNameOnly && !IsDigestOnly ? new Reference(Domain, Path, DefaultTag, null) : this;

    /// <summary>The name alone, tag and digest removed (distribution's TrimNamed).</summary>
    public Reference WithoutTagOrDigest()
    {
        RequireName();
        return IsNameOnly ? this : new Reference(Domain, Path, null, null);
    }

    public bool Equals(Reference? other) =>
        other is not null && Domain == other.Domain && Path == other.Path && Tag == other.Tag && Digest == other.Digest;

    public override bool Equals(object? obj) => Equals(obj as Reference);

    public override int GetHashCode() => HashCode.Combine(Domain, Path, Tag, Digest);

    public static bool operator ==(Reference? left, Reference? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(Reference? left, Reference? right) => !(left == right);

    private string Format(string name)
    {
        string text = Tag is null ? name : name + ":" + Tag;
        return Digest is { } digest ? text + "@" + digest : text;
    }

    private void RequireName()
    {
        if (IsDigestOnly)
        {
            throw new InvalidOperationException($"{this} is a digest, not a named reference");
        }
    }
}
