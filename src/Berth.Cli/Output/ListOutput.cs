using Berth.Cli.Templates;

namespace Berth.Cli.Output;

/// <summary>
/// The docker formatter's choice of format for a list command: the default table (or its quiet form), "raw", or
/// the user's own; then the rows rendered by the template engine's <see cref="TableFormatter"/>.
/// </summary>
internal static class ListOutput
{
    /// <summary>docker's NewXFormat(source, quiet): "" and "table" give the default table (or the quiet format).</summary>
    public static string Choose(string format, bool quiet, string defaultTable, string quietFormat = "{{.ID}}", string? rawFormat = null)
    {
        if (format is "" or "table")
            return quiet ? quietFormat : defaultTable;
        if (format == "raw" && rawFormat is not null)
            return quiet ? $"{rawFormat.Split('\n')[0]}" : rawFormat;
        return quiet ? quietFormat : format;
    }

    public static void Write(TextWriter output, string format, IEnumerable<TemplateObject> rows, IReadOnlyDictionary<string, string> headers,
        IReadOnlyDictionary<string, TemplateFunction>? functions = null) =>
        TableFormatter.Write(output, format, rows, headers, functions);

    /// <summary>A method of a formatter row that takes one string (docker's .Label "key").</summary>
    public static TemplateFunction LabelMethod(IReadOnlyDictionary<string, string>? labels) =>
        TemplateFunction.Of(a => labels is not null && labels.TryGetValue((string)a[0]!, out var v) ? v : "", TemplateParameter.String);
}
