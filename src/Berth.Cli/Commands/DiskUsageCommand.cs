using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Cli.Client;
using Berth.Cli.CommandLine;
using Berth.Cli.Output;
using Berth.Cli.Templates;
using Berth.Engine.Model;

namespace Berth.Cli.Commands;

/// <summary>"berth system df": space used by images, containers, volumes and build cache.</summary>
internal static class DiskUsageCommand
{
    const string SummaryTable = "table {{.Type}}\t{{.TotalCount}}\t{{.Active}}\t{{.Size}}\t{{.Reclaimable}}";
    const string ImageTable = "table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}\t{{.SharedSize}}\t{{.UniqueSize}}\t{{.Containers}}";
    const string ContainerTable = "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.LocalVolumes}}\t{{.Size}}\t{{.RunningFor}}\t{{.Status}}\t{{.Names}}";
    const string VolumeTable = "table {{.Name}}\t{{.Links}}\t{{.Size}}";

    static readonly Dictionary<string, string> SummaryHeaders = new()
    {
        ["Type"] = "TYPE",
        ["TotalCount"] = "TOTAL",
        ["Active"] = "ACTIVE",
        ["Size"] = "SIZE",
        ["Reclaimable"] = "RECLAIMABLE",
    };

    public static CommandSpec Spec() => new()
    {
        Name = "df",
        Use = "[OPTIONS]",
        Short = "Show berth disk usage",
        Args = ArgsRule.None,
        Setup = flags =>
        {
            var format = FormatFlags.Table(flags);
            var verbose = flags.Bool("verbose", 'v', false, "Show detailed information on space usage");
            return async inv =>
            {
                var usage = await inv.Client.GetAsync("/system/df", null, DockerJson.Default.SystemDataUsage).ConfigureAwait(false);
                if (verbose.Value)
                {
                    WriteVerbose(inv.Out, usage);
                    return 0;
                }
                string chosen = format.Value is "" or "table" ? SummaryTable
                    : format.Value == "raw" ? "type: {{.Type}}\ntotal: {{.TotalCount}}\nactive: {{.Active}}\nsize: {{.Size}}\nreclaimable: {{.Reclaimable}}\n"
                    : format.Value;
                ListOutput.Write(inv.Out, chosen, SummaryRows(usage), SummaryHeaders);
                return 0;
            };
        },
    };

    static IEnumerable<TemplateObject> SummaryRows(SystemDataUsage usage)
    {
        var images = usage.Images ?? [];
        long imageUsed = images.Where(i => i.Containers != 0 && i.Size != -1 && i.SharedSize != -1).Sum(i => i.Size - i.SharedSize);
        yield return Row("Images", images.Count, images.Count(i => i.Containers > 0), usage.LayersSize, usage.LayersSize - imageUsed, true);

        var containers = usage.Containers ?? [];
        static bool Active(ContainerSummary c) => c.State is "running" or "paused" or "restarting";
        yield return Row("Containers", containers.Count, containers.Count(Active), containers.Sum(c => c.SizeRw),
            containers.Where(c => !Active(c)).Sum(c => c.SizeRw), true);

        var volumes = usage.Volumes ?? [];
        long volumeSize = volumes.Where(v => v.UsageData is { Size: not -1 }).Sum(v => v.UsageData!.Size);
        long volumeReclaimable = volumes.Where(v => v.UsageData is { Size: not -1, RefCount: 0 }).Sum(v => v.UsageData!.Size);
        yield return Row("Local Volumes", volumes.Count, volumes.Count(v => v.UsageData is { RefCount: > 0 }), volumeSize, volumeReclaimable, true);

        var cache = usage.BuildCache ?? [];
        yield return Row("Build Cache", cache.Count, cache.Count(b => b.InUse), cache.Where(b => !b.Shared).Sum(b => b.Size),
            cache.Where(b => !b.InUse && !b.Shared).Sum(b => b.Size), false);
    }

    static TemplateObject Row(string type, int total, int active, long size, long reclaimable, bool percent)
    {
        string reclaim = HumanUnits.Size(reclaimable, 4);
        if (percent && size > 0)
            reclaim += $" ({reclaimable * 100 / size}%)";
        return new TemplateObject(new JsonObject
        {
            ["Type"] = type,
            ["TotalCount"] = total.ToString(CultureInfo.InvariantCulture),
            ["Active"] = active.ToString(CultureInfo.InvariantCulture),
            ["Size"] = HumanUnits.Size(size, 4),
            ["Reclaimable"] = reclaim,
        }, null, "*formatter.diskUsageImagesContext");
    }

    static void WriteVerbose(TextWriter output, SystemDataUsage usage)
    {
        output.Write("Images space usage:\n\n");
        var images = (usage.Images ?? []).Select(i =>
        {
            var first = i.RepoTags is { Count: > 0 } tags && ImageReference.TryParse(tags[0], out var r, out _) && r.Tag is not null ? r : null;
            var copy = new ImageSummary { Id = i.Id, RepoTags = first is null ? null : [first.ToString()], Created = i.Created, Size = i.Size, SharedSize = i.SharedSize, Containers = i.Containers };
            return copy;
        });
        ListOutput.Write(output, ImageTable, ImageRows.Rows(images, true, false, ImageTable), ImageRows.Headers);
        output.Write("\nContainers space usage:\n\n");
        ListOutput.Write(output, ContainerTable, (usage.Containers ?? []).Select(c =>
        {
            c.SizeRootFs = 0;
            return ContainerRows.Row(c, true);
        }), ContainerRows.Headers);
        output.Write("\nLocal Volumes space usage:\n\n");
        ListOutput.Write(output, VolumeTable, (usage.Volumes ?? []).Select(v => new TemplateObject(new JsonObject
        {
            ["Name"] = v.Name,
            ["Links"] = v.UsageData is { } u ? u.RefCount.ToString(CultureInfo.InvariantCulture) : "N/A",
            ["Size"] = v.UsageData is { Size: not -1 } s ? HumanUnits.Size(s.Size, 4) : "N/A",
        }, null, "*formatter.volumeContext")), new Dictionary<string, string> { ["Name"] = "VOLUME NAME", ["Links"] = "LINKS", ["Size"] = "SIZE" });
        long cacheSize = (usage.BuildCache ?? []).Where(b => !b.Shared).Sum(b => b.Size);
        output.Write($"\nBuild cache usage: {HumanUnits.Size(cacheSize, 4)}\n\n");
        ListOutput.Write(output, "table {{.ID}}\t{{.CacheType}}\t{{.Size}}\t{{.CreatedSince}}\t{{.LastUsedSince}}\t{{.UsageCount}}\t{{.Shared}}",
            (usage.BuildCache ?? []).Select(b => new TemplateObject(new JsonObject
            {
                ["ID"] = IdText.TruncateId(b.ID),
                ["CacheType"] = b.Type,
                ["Size"] = HumanUnits.Size(b.Size, 4),
                ["CreatedSince"] = HumanUnits.Duration(DateTimeOffset.UtcNow - b.CreatedAt) + " ago",
                ["LastUsedSince"] = b.LastUsedAt is { } l ? HumanUnits.Duration(DateTimeOffset.UtcNow - l) + " ago" : "",
                ["UsageCount"] = b.UsageCount.ToString(CultureInfo.InvariantCulture),
                ["Shared"] = b.Shared ? "true" : "false",
            }, null, "*formatter.buildCacheContext")),
            new Dictionary<string, string>
            {
                ["ID"] = "CACHE ID", ["CacheType"] = "CACHE TYPE", ["Size"] = "SIZE", ["CreatedSince"] = "CREATED",
                ["LastUsedSince"] = "LAST USED", ["UsageCount"] = "USAGE", ["Shared"] = "SHARED",
            });
    }
}
