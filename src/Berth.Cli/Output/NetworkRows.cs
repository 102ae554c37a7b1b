using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Berth.Cli.Templates;

namespace Berth.Cli.Output;

/// <summary>
/// docker network ls's rows (cli/command/network/formatter.go networkContext), read from the daemon's JSON as is so
/// that CreatedAt keeps the nanoseconds and the zone the daemon wrote.
/// </summary>
internal static partial class NetworkRows
{
    public const string DefaultTable = "table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}";

    public const string TypeName = "*network.networkContext";

    public static readonly IReadOnlyDictionary<string, string> Headers = new Dictionary<string, string>
    {
        ["ID"] = "NETWORK ID",
        ["Name"] = "NAME",
        ["Driver"] = "DRIVER",
        ["Scope"] = "SCOPE",
        ["IPv4"] = "IPV4",
        ["IPv6"] = "IPV6",
        ["Internal"] = "INTERNAL",
        ["Labels"] = "LABELS",
        ["CreatedAt"] = "CREATED AT",
    };

    /// <summary>docker's newFormat: quiet only shortens the default table and "raw"; a format of one's own wins.</summary>
    public static string Format(string source, bool quiet) => source switch
    {
        "table" => quiet ? "{{.ID}}" : DefaultTable,
        "raw" => quiet ? "network_id: {{.ID}}" : "network_id: {{.ID}}\\nname: {{.Name}}\\ndriver: {{.Driver}}\\nscope: {{.Scope}}\\n",
        _ => source,
    };

    /// <summary>The networks in docker's order: natural order of their names.</summary>
    public static IEnumerable<TemplateObject> Rows(JsonArray networks, bool trunc) =>
        networks.OfType<JsonObject>().OrderBy(n => Text(n, "Name"), NaturalOrder.Comparer).Select(n => Row(n, trunc));

    public static TemplateObject Row(JsonObject n, bool trunc)
    {
        string id = Text(n, "Id");
        var labels = n["Labels"] as JsonObject;
        var fields = new JsonObject
        {
            ["ID"] = trunc ? IdText.TruncateId(id) : id,
            ["Name"] = Text(n, "Name"),
            ["Driver"] = Text(n, "Driver"),
            ["Scope"] = Text(n, "Scope"),
            ["IPv4"] = Flag(n, "EnableIPv4"),
            ["IPv6"] = Flag(n, "EnableIPv6"),
            ["Internal"] = Flag(n, "Internal"),
            // Go ranges over the map in random order; sorted keys make the text stable.
            ["Labels"] = labels is null ? "" : string.Join(',', labels.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key + "=" + Str(kv.Value))),
            ["CreatedAt"] = GoTimeString(Text(n, "Created")),
        };
        var label = TemplateFunction.Of(a => labels?[(string)a[0]!] is { } v ? Str(v) : "", TemplateParameter.String);
        return new TemplateObject(fields, new Dictionary<string, TemplateFunction> { ["Label"] = label }, TypeName);
    }

    /// <summary>
    /// Go's Time.String() of a time decoded from RFC 3339: in the zone it was written with ("Z" is UTC, another
    /// offset a zone named by its offset), the fraction without trailing zeros; the zero time when unreadable.
    /// </summary>
    public static string GoTimeString(string rfc3339)
    {
        var m = Rfc3339().Match(rfc3339);
        if (!m.Success)
            return "0001-01-01 00:00:00 +0000 UTC";
        string frac = m.Groups["frac"].Value.TrimEnd('0');
        if (frac == ".")
            frac = "";
        string zone = m.Groups["zone"].Value;
        string offset = zone is "Z" or "z" ? "+0000" : zone.Replace(":", "", StringComparison.Ordinal);
        string name = zone is "Z" or "z" || (offset is "+0000" or "-0000" && TimeZoneInfo.Local.BaseUtcOffset == TimeSpan.Zero) ? "UTC" : offset;
        if (offset == "-0000")
            offset = "+0000";
        return $"{m.Groups["date"].Value} {m.Groups["time"].Value}{frac} {offset} {name}";
    }

    [GeneratedRegex(@"^(?<date>\d{4}-\d{2}-\d{2})[Tt](?<time>\d{2}:\d{2}:\d{2})(?<frac>\.\d+)?(?<zone>[Zz]|[+-]\d{2}:\d{2})$")]
    private static partial Regex Rfc3339();

    static string Text(JsonObject n, string key) => n[key] is JsonValue v && v.TryGetValue(out string? s) ? s : "";

    static string Flag(JsonObject n, string key) => n[key] is JsonValue v && v.TryGetValue(out bool b) && b ? "true" : "false";

    static string Str(JsonNode? v) => v is JsonValue value && value.TryGetValue(out string? s) ? s : v?.ToJsonString() ?? "";
}
