using System.Text.RegularExpressions;

namespace Berth.Distribution.Server;

/// <summary>The distribution spec's grammar of repository names and tags, as the registry checks them in the path.</summary>
public static partial class RepositoryName
{
    /// <summary>distribution's limit on the whole name.</summary>
    public const int MaxLength = 255;

    [GeneratedRegex(@"^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex Name();

    [GeneratedRegex(@"^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Tag();

    /// <exception cref="RegistryException">NAME_INVALID.</exception>
    public static void Validate(string name)
    {
        if (name.Length > MaxLength)
            throw new RegistryException(RegistryErrorCode.NameInvalid, $"repository name must not be more than {MaxLength} characters");
        if (!Name().IsMatch(name))
            throw new RegistryException(RegistryErrorCode.NameInvalid, $"invalid repository name: {name}");
    }

    public static bool IsTag(string reference) => Tag().IsMatch(reference);
}
