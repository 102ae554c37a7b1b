using System.Text;
using System.Text.Json.Nodes;
using Berth.Cli.Templates;
using Berth.Engine.Model;

namespace Berth.Cli.Output;

/// <summary>docker ps's rows (formatter.ContainerContext): what each column and template field shows.</summary>
internal static class ContainerRows
{
    public const string DefaultTable = "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}";

    public const string RawFormat = "container_id: {{.ID}}\nimage: {{.Image}}\ncommand: {{.Command}}\ncreated_at: {{.CreatedAt}}\n"
        + "state: {{- pad .State 1 0}}\nstatus: {{- pad .Status 1 0}}\nnames: {{.Names}}\nlabels: {{- pad .Labels 1 0}}\nports: {{- pad .Ports 1 0}}\n";

    public const string TypeName = "*formatter.ContainerContext";

    public static readonly IReadOnlyDictionary<string, string> Headers = new Dictionary<string, string>
    {
        ["ID"] = "CONTAINER ID",
        ["Names"] = "NAMES",
        ["Image"] = "IMAGE",
        ["Command"] = "COMMAND",
        ["CreatedAt"] = "CREATED AT",
        ["RunningFor"] = "CREATED",
        ["Ports"] = "PORTS",
        ["State"] = "STATE",
        ["Status"] = "STATUS",
        ["Size"] = "SIZE",
        ["Labels"] = "LABELS",
        ["Mounts"] = "MOUNTS",
        ["LocalVolumes"] = "LOCAL VOLUMES",
        ["Networks"] = "NETWORKS",
        ["Platform"] = "PLATFORM",
    };

    public static TemplateObject Row(ContainerSummary c, bool trunc)
    {
        var fields = new JsonObject
        {
            ["ID"] = trunc ? IdText.TruncateId(c.Id) : c.Id,
            ["Names"] = Names(c.Names, trunc),
            ["Image"] = Image(c, trunc),
            ["Command"] = Templates.GoQuote.Quote(trunc ? IdText.Ellipsis(c.Command, 20) : c.Command),
            ["CreatedAt"] = GoTime.UnixString(c.Created),
            ["RunningFor"] = GoTime.Ago(c.Created),
            ["Ports"] = PortText.Displayable(c.Ports),
            ["State"] = c.State,
            ["Status"] = c.Status,
            ["Size"] = Size(c),
            ["Labels"] = Labels(c.Labels),
            ["Mounts"] = Mounts(c.Mounts, trunc),
            ["LocalVolumes"] = (c.Mounts?.Count(m => m.Driver == "local") ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Networks"] = c.NetworkSettings?.Networks is { } n ? string.Join(',', n.Keys) : "",
            ["Platform"] = c.ImageManifestDescriptor?.Platform is { } p ? Platform(p) : null,
        };
        return new TemplateObject(fields, new Dictionary<string, TemplateFunction> { ["Label"] = ListOutput.LabelMethod(c.Labels) }, TypeName);
    }

    static string Platform(OciPlatform p)
    {
        var sb = new StringBuilder(p.Os).Append('/').Append(p.Architecture);
        if (!string.IsNullOrEmpty(p.Variant))
            sb.Append('/').Append(p.Variant);
        return sb.ToString();
    }

    static string Names(List<string>? names, bool trunc)
    {
        if (names is null)
            return "";
        var result = new List<string>();
        foreach (var n in names)
        {
            string name = n.StartsWith('/') ? n[1..] : n;
            if (trunc)
            {
                if (!name.Contains('/'))
                    return name;
                continue;
            }
            result.Add(name);
        }
        return string.Join(',', result);
    }

    static string Image(ContainerSummary c, bool trunc)
    {
        if (c.Image.Length == 0)
            return "<no image>";
        if (!trunc)
            return c.Image;
        string truncated = IdText.TruncateId(c.ImageID);
        if (truncated == IdText.TruncateId(c.Image))
            return truncated;
        // A reference with a digest shows without it (the tag kept), in its familiar form.
        return ImageReference.Familiar(ImageReference.WithoutDigest(c.Image));
    }

    static string Size(ContainerSummary c)
    {
        string rw = HumanUnits.Size(c.SizeRw);
        return c.SizeRootFs > 0 ? $"{rw} (virtual {HumanUnits.Size(c.SizeRootFs)})" : rw;
    }

    public static string Labels(IReadOnlyDictionary<string, string>? labels)
    {
        if (labels is null)
            return "";
        var pairs = labels.Select(kv => kv.Key + "=" + kv.Value).ToList();
        pairs.Sort(StringComparer.Ordinal);
        return string.Join(',', pairs);
    }

    static string Mounts(List<MountPoint>? mounts, bool trunc)
    {
        if (mounts is null)
            return "";
        return string.Join(',', mounts.Select(m =>
        {
            string name = string.IsNullOrEmpty(m.Name) ? m.Source ?? "" : m.Name;
            return trunc ? IdText.Ellipsis(name, 15) : name;
        }));
    }
}
