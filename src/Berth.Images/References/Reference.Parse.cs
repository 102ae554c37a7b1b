using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
using Berth.Oci;

namespace Berth.Images.References;

/// <summary>The grammar itself, without normalisation: distribution's <c>Parse</c> and <c>WithName</c>.</summary>
public sealed partial class Reference
{
    /// <summary>The longest repository path (distribution's RepositoryNameTotalLengthMax; v0.6.0 counts the path only).</summary>
    public const int MaxPathLength = 255;

    /// <summary>
    /// Parses a reference as written, without normalising: <c>busybox</c> has no domain, <c>foo/bar</c> has domain
    /// <c>foo</c>. Use <see cref="ParseNormalized"/> for what users type.
    /// </summary>
    /// <exception cref="StoreException">InvalidArgument, with distribution's message.</exception>
    public static Reference Parse(string s) =>
        TryParse(s, out Reference? reference, out string? error) ? reference : throw StoreException.Invalid(error);

    public static bool TryParse(string s, [NotNullWhen(true)] out Reference? reference, [NotNullWhen(false)] out string? error)
    {
        reference = null;
        if (s.Length == 0)
        {
            error = ReferenceErrors.NameEmpty;
            return false;
        }
        Match match = ReferenceGrammar.Reference().Match(s);
        if (!match.Success)
        {
            string lower = s.ToLowerInvariant();
            // Valid once lowercased: the input has an uppercase repository name.
            error = lower != s && ReferenceGrammar.Reference().IsMatch(lower) ? ReferenceErrors.NameContainsUppercase : ReferenceErrors.InvalidFormat;
            return false;
        }
        (string domain, string path) = SplitName(match.Groups[1].Value);
        if (path.Length > MaxPathLength)
        {
            error = ReferenceErrors.NameTooLong;
            return false;
        }
        Digest? digest = null;
        if (match.Groups[3].Success)
        {
            if (!Oci.Digest.TryParse(match.Groups[3].Value, out Digest parsed, out string? digestError))
            {
                error = digestError ?? ReferenceErrors.InvalidDigestFormat;
                return false;
            }
            digest = parsed;
        }
        reference = new Reference(domain, path, match.Groups[2].Success ? match.Groups[2].Value : null, digest);
        error = null;
        return true;
    }

    /// <summary>A name without tag or digest, not normalised (distribution's WithName).</summary>
    /// <exception cref="StoreException"><c>invalid reference format</c>, or the name is too long.</exception>
    public static Reference WithName(string name)
    {
        Match match = ReferenceGrammar.AnchoredName().Match(name);
        if (!match.Success)
        {
            throw StoreException.Invalid(ReferenceErrors.InvalidFormat);
        }
        return match.Groups[2].Value.Length > MaxPathLength
            ? throw StoreException.Invalid(ReferenceErrors.NameTooLong)
            : new Reference(match.Groups[1].Value, match.Groups[2].Value, null, null);
    }

    private static (string Domain, string Path) SplitName(string name)
    {
        Match match = ReferenceGrammar.AnchoredName().Match(name);
        return match.Success ? (match.Groups[1].Value, match.Groups[2].Value) : ("", name);
    }
}
