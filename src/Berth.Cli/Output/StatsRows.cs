using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Cli.Templates;

namespace Berth.Cli.Output;

/// <summary>docker stats' rows (its statsContext): what each column and template field shows.</summary>
internal static class StatsRows
{
    public const string DefaultTable = "table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDs}}";

    public static readonly IReadOnlyDictionary<string, string> Headers = new Dictionary<string, string>
    {
        ["Container"] = "CONTAINER",
        ["Name"] = "NAME",
        ["ID"] = "CONTAINER ID",
        ["CPUPerc"] = "CPU %",
        ["MemUsage"] = "MEM USAGE / LIMIT",
        ["MemPerc"] = "MEM %",
        ["NetIO"] = "NET I/O",
        ["BlockIO"] = "BLOCK I/O",
        ["PIDs"] = "PIDS",
    };

    public static TemplateObject Row(StatsEntry e, bool trunc)
    {
        bool invalid = e.IsInvalid;
        var fields = new JsonObject
        {
            ["Container"] = e.Container,
            ["Name"] = e.Name.Length > 1 ? e.Name[1..] : "--",
            ["ID"] = trunc ? IdText.TruncateId(e.Id) : e.Id,
            ["CPUPerc"] = invalid ? "--" : Percent(e.CpuPercentage),
            ["MemUsage"] = invalid ? "-- / --" : HumanUnits.BytesSize(e.Memory) + " / " + HumanUnits.BytesSize(e.MemoryLimit),
            ["MemPerc"] = invalid ? "--" : Percent(e.MemoryPercentage),
            ["NetIO"] = invalid ? "--" : HumanUnits.Size(e.NetworkRx) + " / " + HumanUnits.Size(e.NetworkTx),
            ["BlockIO"] = invalid ? "--" : HumanUnits.Size(e.BlockRead) + " / " + HumanUnits.Size(e.BlockWrite),
            ["PIDs"] = invalid ? "--" : e.PidsCurrent.ToString(CultureInfo.InvariantCulture),
        };
        return new TemplateObject(fields, new Dictionary<string, TemplateFunction>(), "*container.statsContext");
    }

    /// <summary>strconv.FormatFloat(v, 'f', 2, 64) + "%".</summary>
    static string Percent(double value) => value.ToString("F2", CultureInfo.InvariantCulture) + "%";
}
