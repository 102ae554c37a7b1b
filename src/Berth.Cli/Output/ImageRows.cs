using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Cli.Templates;
using Berth.Engine.Model;

namespace Berth.Cli.Output;

/// <summary>docker images' rows (formatter imageContext): one row per repository and tag (and digest when shown).</summary>
internal static class ImageRows
{
    public const string DefaultTable = "table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{if .CreatedSince }}{{.CreatedSince}}{{else}}N/A{{end}}\t{{.Size}}";
    public const string DefaultTableWithDigest = "table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{if .CreatedSince }}{{.CreatedSince}}{{else}}N/A{{end}}\t{{.Size}}";
    public const string Raw = "repository: {{ .Repository }}\ntag: {{.Tag}}\nimage_id: {{.ID}}\ncreated_at: {{.CreatedAt}}\nvirtual_size: {{.Size}}\n";
    public const string RawWithDigest = "repository: {{ .Repository }}\ntag: {{.Tag}}\ndigest: {{.Digest}}\nimage_id: {{.ID}}\ncreated_at: {{.CreatedAt}}\nvirtual_size: {{.Size}}\n";

    public static readonly IReadOnlyDictionary<string, string> Headers = new Dictionary<string, string>
    {
        ["ID"] = "IMAGE ID",
        ["Repository"] = "REPOSITORY",
        ["Tag"] = "TAG",
        ["Digest"] = "DIGEST",
        ["CreatedSince"] = "CREATED",
        ["CreatedAt"] = "CREATED AT",
        ["Size"] = "SIZE",
        ["Containers"] = "CONTAINERS",
        ["VirtualSize"] = "SIZE",
        ["SharedSize"] = "SHARED SIZE",
        ["UniqueSize"] = "UNIQUE SIZE",
    };

    /// <summary>docker's NewImageFormat.</summary>
    public static string Format(string source, bool quiet, bool digest)
    {
        switch (source)
        {
            case "" or "table":
                return quiet ? "{{.ID}}" : digest ? DefaultTableWithDigest : DefaultTable;
            case "raw":
                return quiet ? "image_id: {{.ID}}" : digest ? RawWithDigest : Raw;
        }
        if (source.StartsWith("table", StringComparison.Ordinal) && digest && !source.Contains("{{.Digest}}", StringComparison.Ordinal))
            source += "\t{{.Digest}}";
        return source;
    }

    public static IEnumerable<TemplateObject> Rows(IEnumerable<ImageSummary> images, bool trunc, bool digest, string format)
    {
        bool needDigest = digest || format.Contains("{{.Digest}}", StringComparison.Ordinal);
        foreach (var image in images)
        {
            if (IsDangling(image))
            {
                yield return Row(image, trunc, "<none>", "<none>", "<none>");
                continue;
            }
            var repoTags = new Dictionary<string, List<string>>();
            var repoDigests = new Dictionary<string, List<string>>();
            var order = new List<string>();
            foreach (var text in image.RepoTags ?? [])
            {
                if (!ImageReference.TryParse(text, out var r, out _) || r.Tag is null)
                    continue;
                if (!repoTags.TryGetValue(r.FamiliarName, out var tags))
                {
                    repoTags[r.FamiliarName] = tags = [];
                    order.Add(r.FamiliarName);
                }
                tags.Add(r.Tag);
            }
            var digestOrder = new List<string>();
            foreach (var text in image.RepoDigests ?? [])
            {
                if (!ImageReference.TryParse(text, out var r, out _) || r.Digest is null)
                    continue;
                if (!repoDigests.TryGetValue(r.FamiliarName, out var digests))
                {
                    repoDigests[r.FamiliarName] = digests = [];
                    digestOrder.Add(r.FamiliarName);
                }
                digests.Add(r.Digest);
            }
            foreach (var repo in order)
            {
                var digests = repoDigests.GetValueOrDefault(repo) ?? [];
                repoDigests.Remove(repo);
                if (!needDigest)
                    digests = [];
                foreach (var tag in repoTags[repo])
                {
                    if (digests.Count == 0)
                    {
                        yield return Row(image, trunc, repo, tag, "<none>");
                        continue;
                    }
                    foreach (var d in digests)
                        yield return Row(image, trunc, repo, tag, d);
                }
            }
            foreach (var repo in digestOrder)
            {
                if (!repoDigests.TryGetValue(repo, out var digests))
                    continue;
                if (digest)
                {
                    foreach (var d in digests)
                        yield return Row(image, trunc, repo, "<none>", d);
                }
                else
                {
                    yield return Row(image, trunc, repo, "<none>", "");
                }
            }
        }
    }

    static bool IsDangling(ImageSummary image) =>
        (image.RepoTags is null or { Count: 0 } && image.RepoDigests is null or { Count: 0 })
        || image.RepoTags is ["<none>:<none>"] && image.RepoDigests is ["<none>@<none>"];

    static TemplateObject Row(ImageSummary image, bool trunc, string repo, string tag, string digest)
    {
        var fields = new JsonObject
        {
            ["ID"] = trunc ? IdText.TruncateId(image.Id) : image.Id,
            ["Repository"] = repo,
            ["Tag"] = tag,
            ["Digest"] = digest,
            ["CreatedSince"] = GoTime.Ago(image.Created),
            ["CreatedAt"] = GoTime.UnixString(image.Created),
            ["Size"] = HumanUnits.Size(image.Size),
            ["Containers"] = image.Containers == -1 ? "N/A" : image.Containers.ToString(CultureInfo.InvariantCulture),
            ["VirtualSize"] = HumanUnits.Size(image.Size, 4),
            ["SharedSize"] = image.SharedSize == -1 ? "N/A" : HumanUnits.Size(image.SharedSize, 4),
            ["UniqueSize"] = image.Size == -1 || image.SharedSize == -1 ? "N/A" : HumanUnits.Size(image.Size - image.SharedSize, 4),
        };
        return new TemplateObject(fields, null, "*formatter.imageContext");
    }
}
