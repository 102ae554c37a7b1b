using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Berth.Cli.Client;
using Berth.Cli.CommandLine;
using Berth.Cli.Output;
using Berth.Cli.Templates;

namespace Berth.Cli.Commands;

/// <summary>"berth events" / "berth system events": the daemon's event stream, one line per event.</summary>
internal static class EventsCommand
{
    public static CommandSpec Spec(string name) => new()
    {
        Name = name,
        Use = "[OPTIONS]",
        Short = "Get real time events from the server",
        AliasesLine = "{0} system events, {0} events",
        Args = ArgsRule.None,
        Setup = flags =>
        {
            var filter = FilterArgs.Define(flags);
            var format = FormatFlags.Inspect(flags, null);
            var since = flags.String("since", null, "", "Show all events created since timestamp");
            var until = flags.String("until", null, "", "Stream events until this timestamp");
            return inv => RunAsync(inv, filter, format.Value, since.Value, until.Value);
        },
    };

    static async Task<int> RunAsync(Invocation inv, FilterArgs filter, string format, string since, string until)
    {
        var cli = inv.Cli;
        GoTemplate? template = format.Length == 0 ? null : GoTemplate.Parse(format == "json" ? "{{json .}}" : format);
        var now = DateTimeOffset.UtcNow;
        var query = new Query()
            .AddIfNotEmpty("since", since.Length > 0 ? GoTime.Timestamp(since, now) : null)
            .AddIfNotEmpty("until", until.Length > 0 ? GoTime.Timestamp(until, now) : null)
            .AddIf(!filter.IsEmpty, "filters", filter.ToJson());
        cli.Flush();
        using var response = await cli.Client.SendAsync("GET", "/events", query).ConfigureAwait(false);
        using var reader = new StreamReader(response.Body, Encoding.UTF8);
        var output = new StreamWriter(cli.StdoutStream, new UTF8Encoding(false), leaveOpen: true) { NewLine = "\n", AutoFlush = true };
        while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            if (line.Trim().Length == 0 || JsonNode.Parse(line) is not JsonObject message)
                continue;
            if (template is not null)
                output.WriteLine(template.Execute(format == "json" ? message : WithGoFieldNames(message)));
            else
                output.Write(Pretty(message));
        }
        return 0;
    }

    /// <summary>
    /// docker runs event templates over its Go struct (events.Message), whose fields are Status, ID, From, Scope,
    /// Time and TimeNano where the JSON says status, id, from, scope, time and timeNano.
    /// </summary>
    static JsonObject WithGoFieldNames(JsonObject message)
    {
        // A Go struct has every field: the ones the daemon left out read as zero values, not "<no value>".
        var copy = new JsonObject
        {
            ["Status"] = "",
            ["ID"] = "",
            ["From"] = "",
            ["Type"] = "",
            ["Action"] = "",
            ["Actor"] = new JsonObject { ["ID"] = "", ["Attributes"] = new JsonObject() },
            ["Scope"] = "",
            ["Time"] = 0,
            ["TimeNano"] = 0,
        };
        foreach (var (key, value) in message)
        {
            string name = key switch
            {
                "status" => "Status",
                "id" => "ID",
                "from" => "From",
                "scope" => "Scope",
                "time" => "Time",
                "timeNano" => "TimeNano",
                _ => key,
            };
            copy[name] = value?.DeepClone();
        }
        return copy;
    }

    /// <summary>docker's prettyPrintEvent: time, type, action, actor ID and its sorted attributes.</summary>
    public static string Pretty(JsonObject e)
    {
        var sb = new StringBuilder();
        long timeNano = Number(e["timeNano"]);
        long time = Number(e["time"]);
        if (timeNano != 0)
            sb.Append(FixedNanos(timeNano)).Append(' ');
        else if (time != 0)
            sb.Append(FixedNanos(time * 1_000_000_000)).Append(' ');
        sb.Append(Text(e["Type"])).Append(' ').Append(Text(e["Action"])).Append(' ').Append(Text(e["Actor"]?["ID"]));
        if (e["Actor"]?["Attributes"] is JsonObject attributes && attributes.Count > 0)
        {
            var pairs = attributes.Select(kv => (kv.Key, Value: Text(kv.Value))).OrderBy(kv => kv.Key, StringComparer.Ordinal)
                .Select(kv => kv.Key + "=" + kv.Value);
            sb.Append(" (").Append(string.Join(", ", pairs)).Append(')');
        }
        return sb.Append('\n').ToString();
    }

    /// <summary>jsonmessage.RFC3339NanoFixed in the local zone: nine fractional digits always.</summary>
    static string FixedNanos(long unixNanos)
    {
        var time = DateTimeOffset.FromUnixTimeMilliseconds(unixNanos / 1_000_000);
        var local = TimeZoneInfo.ConvertTime(time, TimeZoneInfo.Local);
        long nanos = unixNanos % 1_000_000_000;
        string zone = local.Offset == TimeSpan.Zero ? "Z" : local.ToString("zzz", CultureInfo.InvariantCulture);
        return local.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + "." + nanos.ToString("D9", CultureInfo.InvariantCulture) + zone;
    }

    static long Number(JsonNode? node) => node is JsonValue v && v.TryGetValue(out long n) ? n : 0;

    static string Text(JsonNode? node) => node is JsonValue v && v.TryGetValue(out string? s) ? s : "";
}
