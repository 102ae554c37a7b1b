namespace Berth.Images.References;

/// <summary>
/// The words of distribution/reference's errors, which Docker prints as they are (<c>docker pull Foo</c>:
/// <c>invalid reference format: repository name (library/Foo) must be lowercase</c>). Digest errors are go-digest's,
/// from <see cref="Berth.Oci.Digest.TryParse(string?, out Berth.Oci.Digest, out string?)"/>.
/// </summary>
public static class ReferenceErrors
{
    public const string InvalidFormat = "invalid reference format";
    public const string InvalidTagFormat = "invalid tag format";
    public const string InvalidDigestFormat = "invalid digest format";
    public const string NameContainsUppercase = "repository name must be lowercase";
    public const string NameEmpty = "repository name must have at least one component";
    public const string NameTooLong = "repository name must not be more than 255 characters";
    public const string NameNotCanonical = "repository name must be canonical";

    /// <summary>go's <c>path.ErrBadPattern</c>, from <see cref="Reference.FamiliarMatch"/>.</summary>
    public const string BadPattern = "syntax error in pattern";

    /// <summary>ParseNormalizedNamed's own check, before the grammar's: the repository part of the input, e.g. <c>library/Foo</c>.</summary>
    public static string NormalizedNameContainsUppercase(string remote) => $"invalid reference format: repository name ({remote}) must be lowercase";

    /// <summary>An image ID given where a name is wanted.</summary>
    public static string HexadecimalName(string input) => $"invalid repository name ({input}), cannot specify 64-byte hexadecimal strings";
}
