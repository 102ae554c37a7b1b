namespace Berth.Cli.Output;

/// <summary>
/// Docker image references (distribution/reference): "busybox" is docker.io/library/busybox; the familiar form drops
/// those defaults again; a reference without tag or digest means ":latest".
/// </summary>
internal sealed record ImageReference(string Domain, string Path, string? Tag, string? Digest)
{
    public const string DefaultDomain = "docker.io";

    /// <summary>docker.io/library/busybox</summary>
    public string Name => Domain + "/" + Path;

    /// <summary>busybox, or registry.example:5000/team/app</summary>
    public string FamiliarName => Domain == DefaultDomain
        ? (Path.StartsWith("library/", StringComparison.Ordinal) && Path.IndexOf('/', 8) < 0 ? Path[8..] : Path)
        : Name;

    public override string ToString() => FamiliarName + (Tag is null ? "" : ":" + Tag) + (Digest is null ? "" : "@" + Digest);

    /// <summary>reference.TagNameOnly: ":latest" added when there is neither tag nor digest.</summary>
    public ImageReference WithDefaultTag() => Tag is null && Digest is null ? this with { Tag = "latest" } : this;

    /// <summary>ParseNormalizedNamed; throws <see cref="FormatException"/> with docker's words.</summary>
    public static ImageReference Parse(string text)
    {
        if (!TryParse(text, out var reference, out var error))
            throw new FormatException(error);
        return reference;
    }

    public static bool TryParse(string text, out ImageReference reference, out string error)
    {
        reference = null!;
        error = "invalid reference format";
        if (text.Length == 0 || text.Length > 255 + 80)
            return false;
        string rest = text;
        string? digest = null;
        int at = rest.IndexOf('@');
        if (at >= 0)
        {
            digest = rest[(at + 1)..];
            rest = rest[..at];
            int colon = digest.IndexOf(':');
            if (colon <= 0 || colon == digest.Length - 1)
                return false;
        }
        string? tag = null;
        int lastSlash = rest.LastIndexOf('/');
        int tagColon = rest.LastIndexOf(':');
        if (tagColon > lastSlash)
        {
            tag = rest[(tagColon + 1)..];
            rest = rest[..tagColon];
            if (tag.Length is 0 or > 128 || !(char.IsAsciiLetterOrDigit(tag[0]) || tag[0] == '_') || tag.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-')))
                return false;
        }
        string domain = DefaultDomain;
        string path = rest;
        int slash = rest.IndexOf('/');
        if (slash >= 0)
        {
            string first = rest[..slash];
            if (first.Contains('.') || first.Contains(':') || first == "localhost" || first.Any(char.IsAsciiLetterUpper))
            {
                domain = first;
                path = rest[(slash + 1)..];
            }
        }
        if (domain == "index.docker.io")
            domain = DefaultDomain;
        if (domain == DefaultDomain && !path.Contains('/'))
            path = "library/" + path;
        if (path.Length == 0)
            return false;
        foreach (var component in path.Split('/'))
        {
            if (!ValidComponent(component))
            {
                if (component.Any(char.IsAsciiLetterUpper) && ValidComponent(component.ToLowerInvariant()))
                    error = $"invalid reference format: repository name ({path}) must be lowercase";
                return false;
            }
        }
        reference = new ImageReference(domain, path, tag, digest);
        return true;
    }

    // [a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*
    static bool ValidComponent(string c)
    {
        if (c.Length == 0 || !IsAlnum(c[0]) || !IsAlnum(c[^1]))
            return false;
        for (int i = 0; i < c.Length; i++)
        {
            if (IsAlnum(c[i]))
                continue;
            if (c[i] == '-')
            {
                while (i + 1 < c.Length && c[i + 1] == '-')
                    i++;
                continue;
            }
            if (c[i] == '.' || c[i] == '_')
            {
                if (c[i] == '_' && i + 1 < c.Length && c[i + 1] == '_')
                    i++;
                if (i + 1 >= c.Length || !IsAlnum(c[i + 1]))
                    return false;
                continue;
            }
            return false;
        }
        return true;
    }

    static bool IsAlnum(char c) => c is >= 'a' and <= 'z' or >= '0' and <= '9';

    /// <summary>The familiar form of any reference text (as it is when it does not parse).</summary>
    public static string Familiar(string text) => TryParse(text, out var r, out _) ? r.ToString() : text;

    /// <summary>The reference without its digest, the tag kept.</summary>
    public static string WithoutDigest(string text) => TryParse(text, out var r, out _) ? (r with { Digest = null }).ToString() : text;
}
