using Berth.Oci.Image;
namespace Berth.Build.Dockerfile;

internal static partial class InstructionParser
{
    static readonly HashSet<string> MountTypes = ["bind", "cache", "tmpfs", "secret", "ssh"];

    static readonly HashSet<string> MountKeys =
    [
        "type", "id", "target", "dst", "destination", "readonly", "ro", "readwrite", "rw", "required", "sharing",
        "from", "source", "src", "mode", "uid", "gid", "size", "env",
    ];

    static readonly HashSet<string> MountBooleans = ["readonly", "ro", "readwrite", "rw", "required"];

    static RunInstruction Run(DockerfileNode node, BuilderFlags flags)
    {
        var mounts = flags.AddStrings("mount");
        var network = flags.AddString("network");
        var security = flags.AddString("security");
        flags.Parse();
        if (network.Value is { } n && n is not ("none" or "default" or "host"))
            throw new DockerfileException($"unsupported network mode {GoQuote.Quote(n)}");
        if (security.Value is { } s && s is not ("sandbox" or "insecure"))
            throw new DockerfileException($"unsupported security mode {GoQuote.Quote(s)}");
        return new RunInstruction(node.Location, node.Original.Trim(), Command(node), [.. mounts.Values.Select(Mount)],
            network.Value, security.Value, node.Heredocs);
    }

    /// <summary>
    /// One <c>--mount=</c> value: comma-separated fields (CSV quoting), <c>key=value</c> or a bare boolean key; the
    /// type is bind unless given. Keys are kept in lower case, values as written.
    /// </summary>
    static RunMount Mount(string value)
    {
        string type = "bind";
        Dictionary<string, string> options = new(StringComparer.Ordinal);
        foreach (string field in CsvFields(value))
        {
            int eq = field.IndexOf('=');
            string key = (eq < 0 ? field : field[..eq]).ToLowerInvariant();
            if (!MountKeys.Contains(key))
                throw new DockerfileException($"unexpected key '{key}' in '{field}'");
            if (eq < 0 && !MountBooleans.Contains(key))
                throw new DockerfileException($"invalid field '{field}' must be a key=value pair");
            string v = eq < 0 ? "true" : field[(eq + 1)..];
            if (key == "type")
            {
                if (!MountTypes.Contains(v.ToLowerInvariant()))
                    throw new DockerfileException($"unsupported mount type {GoQuote.Quote(v)}");
                type = v.ToLowerInvariant();
                continue;
            }
            if (key == "sharing" && v is not ("shared" or "private" or "locked"))
                throw new DockerfileException($"unsupported sharing value {GoQuote.Quote(v)}");
            options[key] = v;
        }
        bool hasTarget = options.ContainsKey("target") || options.ContainsKey("dst") || options.ContainsKey("destination");
        if (!hasTarget && type is not ("secret" or "ssh"))
            throw new DockerfileException($"mount of type {type} requires a target: {value}");
        return new RunMount(type, options);
    }

    /// <summary>The mount's fields (Go's encoding/csv), empty ones dropped as buildkit does.</summary>
    static List<string> CsvFields(string value)
    {
        try
        {
            return [.. Berth.Oci.Image.GoCsv.Fields(value).Where(f => f.Length > 0)];
        }
        catch (FormatException e)
        {
            throw new DockerfileException(e.Message);
        }
    }
}
