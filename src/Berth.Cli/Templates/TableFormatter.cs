using System.Text.Json.Nodes;

namespace Berth.Cli.Templates;

/// <summary>
/// How docker's formatter reads a <c>--format</c> value (cli/command/formatter Context.preFormat).
/// </summary>
public static class DockerFormat
{
    /// <summary>
    /// Splits off the <c>table</c> directive and turns the value into template text:
    /// <c>json</c> means <c>{{json .}}</c>, surrounding spaces go, and the two-character
    /// sequences <c>\t</c> and <c>\n</c> (as typed in a shell) become a tab and a newline.
    /// </summary>
    public static (string Template, bool IsTable) Prepare(string format)
    {
        bool isTable = format.StartsWith("table", StringComparison.Ordinal);
        string text = format;
        if (isTable) text = text["table".Length..];
        else if (format == "json") text = "{{json .}}";
        text = text.Trim(' ');
        text = text.Replace("\\t", "\t", StringComparison.Ordinal).Replace("\\n", "\n", StringComparison.Ordinal);
        return (text, isTable);
    }
}

/// <summary>
/// Renders rows with a docker <c>--format</c> value as the docker CLI's formatter does: each
/// row's output followed by a newline; with <c>table</c>, a header row first and all of it
/// aligned by a tabwriter with docker's settings (minwidth 10, padding 3).
/// </summary>
/// <remarks>
/// <para>The header row is the same template executed over <paramref name="headers"/>
/// (field name to column title, e.g. <c>ID</c> to <c>CONTAINER ID</c>) with docker's header
/// functions, which leave titles unchanged (<c>{{upper .Names}}</c> still heads its column
/// <c>NAMES</c>; <c>pad</c> still pads). As in docker, an error while rendering the header
/// keeps what was rendered before it.</para>
/// <para>A failing row stops everything and nothing is written: docker buffers the rows.</para>
/// </remarks>
public static class TableFormatter
{
    private static readonly IReadOnlyDictionary<string, FuncDef> HeaderOverrides = DockerFunctions.CreateHeaderOverrides();

    /// <exception cref="TemplateParseException">The format is not a valid template.</exception>
    /// <exception cref="TemplateExecutionException">A row failed.</exception>
    public static string Render(string format, IEnumerable<JsonNode?> rows,
        IReadOnlyDictionary<string, string>? headers = null,
        IReadOnlyDictionary<string, TemplateFunction>? extraFunctions = null)
    {
        var output = new StringWriter();
        Write(output, format, rows, headers, extraFunctions);
        return output.ToString();
    }

    /// <inheritdoc cref="Render(string, IEnumerable{JsonNode?}, IReadOnlyDictionary{string, string}?, IReadOnlyDictionary{string, TemplateFunction}?)"/>
    public static string Render(string format, IEnumerable<TemplateObject> rows,
        IReadOnlyDictionary<string, string>? headers = null,
        IReadOnlyDictionary<string, TemplateFunction>? extraFunctions = null)
    {
        var output = new StringWriter();
        Write(output, format, rows, headers, extraFunctions);
        return output.ToString();
    }

    public static void Write(TextWriter output, string format, IEnumerable<JsonNode?> rows,
        IReadOnlyDictionary<string, string>? headers = null,
        IReadOnlyDictionary<string, TemplateFunction>? extraFunctions = null) =>
        WriteRows(output, format, rows.Select(GoTemplate.ToVal), headers, extraFunctions);

    public static void Write(TextWriter output, string format, IEnumerable<TemplateObject> rows,
        IReadOnlyDictionary<string, string>? headers = null,
        IReadOnlyDictionary<string, TemplateFunction>? extraFunctions = null) =>
        WriteRows(output, format, rows.Select(r => Val.Of(r)), headers, extraFunctions);

    private static void WriteRows(TextWriter output, string format, IEnumerable<Val> rows,
        IReadOnlyDictionary<string, string>? headers, IReadOnlyDictionary<string, TemplateFunction>? extraFunctions)
    {
        var (text, isTable) = DockerFormat.Prepare(format);
        var template = GoTemplate.Parse(text, extraFunctions);
        var body = new StringWriter();
        foreach (var row in rows)
        {
            template.Run(body, row, null);
            body.Write('\n');
        }
        if (!isTable)
        {
            output.Write(body.ToString());
            return;
        }

        var headerData = new JsonObject();
        if (headers is not null)
            foreach (var (field, title) in headers) headerData[field] = title;
        var header = new StringWriter();
        try
        {
            template.Run(header, Val.Of(headerData), HeaderOverrides);
        }
        catch (TemplateExecutionException)
        {
            // docker ignores header errors and prints what was rendered.
        }
        var tabs = TabWriter.ForDockerTable(output);
        tabs.Write(header.ToString());
        tabs.Write("\n");
        tabs.Write(body.ToString());
        tabs.Flush();
    }
}
