using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Cli.Templates;
using Berth.Engine.Model;

namespace Berth.Cli.Output;

/// <summary>docker history's rows (formatter historyContext).</summary>
internal static class HistoryRows
{
    public const string DefaultTable = "table {{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}";
    public const string NonHumanTable = "table {{.ID}}\t{{.CreatedAt}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}";

    public static readonly IReadOnlyDictionary<string, string> Headers = new Dictionary<string, string>
    {
        ["ID"] = "IMAGE",
        ["CreatedSince"] = "CREATED",
        ["CreatedAt"] = "CREATED AT",
        ["CreatedBy"] = "CREATED BY",
        ["Size"] = "SIZE",
        ["Comment"] = "COMMENT",
    };

    public static string Format(string source, bool quiet, bool human) => source switch
    {
        "" or "table" => quiet ? "{{.ID}}" : human ? DefaultTable : NonHumanTable,
        _ => source,
    };

    public static TemplateObject Row(ImageHistoryItem h, bool trunc, bool human)
    {
        string createdAt = DateTimeOffset.FromUnixTimeSeconds(h.Created).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        string createdBy = h.CreatedBy.Replace('\t', ' ');
        var fields = new JsonObject
        {
            ["ID"] = trunc ? IdText.TruncateId(h.Id) : h.Id,
            ["CreatedAt"] = createdAt,
            ["CreatedSince"] = human ? GoTime.Ago(h.Created) : createdAt,
            ["CreatedBy"] = trunc ? IdText.Ellipsis(createdBy, 45) : createdBy,
            ["Size"] = human ? HumanUnits.Size(h.Size) : h.Size.ToString(CultureInfo.InvariantCulture),
            ["Comment"] = h.Comment,
        };
        return new TemplateObject(fields, null, "*formatter.historyContext");
    }
}
