using System.Text.RegularExpressions;

namespace Berth.Images.References;

/// <summary>
/// Docker's reference grammar, transcribed from distribution/reference regexp.go (v0.6.0, which moby vendors):
/// <code>
/// reference        := name [ ":" tag ] [ "@" digest ]
/// name             := [domain '/'] remote-name
/// domain           := host [':' port-number]
/// host             := domain-name | IPv4address | \[ IPv6address \]
/// domain-name      := domain-component ['.' domain-component]*
/// domain-component := /([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])/
/// path-component   := alpha-numeric [separator alpha-numeric]*
/// remote-name      := path-component ['/' path-component]*
/// alpha-numeric    := /[a-z0-9]+/
/// separator        := /[_.]|__|[-]+/
/// tag              := /[\w][\w.-]{0,127}/
/// digest           := /[A-Za-z][A-Za-z0-9]*([-_+.][A-Za-z][A-Za-z0-9]*)*[:][[:xdigit:]]{32,}/
/// identifier       := /[a-f0-9]{64}/
/// </code>
/// Go's regexp and .NET's differ in three places that matter here, so the patterns say what Go means: <c>\w</c> is
/// ASCII only in Go (Unicode letters in .NET), <c>$</c> is the end of the text in Go (.NET also matches before a final
/// newline: <c>\z</c> here), and POSIX classes (<c>[[:xdigit:]]</c>) are Go-only. Both engines pick the leftmost-first
/// match, so the captures (domain versus path) agree.
/// </summary>
internal static partial class ReferenceGrammar
{
    private const string AlphaNumeric = "[a-z0-9]+";
    private const string Separator = "(?:[._]|__|[-]+)";
    private const string PathComponent = AlphaNumeric + "(?:" + Separator + AlphaNumeric + ")*";
    private const string RemoteName = PathComponent + "(?:/" + PathComponent + ")*";
    private const string DomainNameComponent = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private const string DomainName = DomainNameComponent + @"(?:\." + DomainNameComponent + ")*";
    private const string Ipv6Address = @"\[(?:[a-fA-F0-9:]+)\]";
    private const string Host = "(?:" + DomainName + "|" + Ipv6Address + ")";
    private const string DomainAndPort = Host + "(?::[0-9]+)?";
    private const string NamePattern = "(?:" + DomainAndPort + "/)?" + RemoteName;
    private const string Tag = "[0-9A-Za-z_][0-9A-Za-z_.-]{0,127}";
    private const string Digest = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9A-Fa-f]{32,}";

    /// <summary>Captures: 1 name, 2 tag, 3 digest.</summary>
    [GeneratedRegex("^(" + NamePattern + ")(?::(" + Tag + "))?(?:@(" + Digest + "))?\\z", RegexOptions.CultureInvariant)]
    public static partial Regex Reference();

    /// <summary>Captures: 1 domain (may be empty), 2 path.</summary>
    [GeneratedRegex("^(?:(" + DomainAndPort + ")/)?(" + RemoteName + ")\\z", RegexOptions.CultureInvariant)]
    public static partial Regex AnchoredName();

    [GeneratedRegex("^" + Tag + "\\z", RegexOptions.CultureInvariant)]
    public static partial Regex AnchoredTag();

    [GeneratedRegex("^" + Digest + "\\z", RegexOptions.CultureInvariant)]
    public static partial Regex AnchoredDigest();

    /// <summary>An image ID without its algorithm: 64 lowercase hex digits.</summary>
    [GeneratedRegex("^[a-f0-9]{64}\\z", RegexOptions.CultureInvariant)]
    public static partial Regex AnchoredIdentifier();
}
