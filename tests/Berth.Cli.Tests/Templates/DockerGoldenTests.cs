using System.Text.Json.Nodes;
using Berth.Cli.Templates;

namespace Berth.Cli.Tests.Templates;

/// <summary>
/// Templates and formats whose output and errors were recorded from the real docker CLI
/// (DockerGoldenData.cs): Berth must print exactly the same text.
/// </summary>
public class DockerGoldenTests
{
    private static readonly JsonNode Data = JsonNode.Parse(DockerGoldenData.InspectDataJson)!;

    public static TheoryData<string, string, string> InspectCases()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (template, output, error) in DockerGoldenData.InspectCases) data.Add(template, output, error);
        return data;
    }

    public static TheoryData<string, string, string> ContextLsCases()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (format, output, error) in DockerGoldenData.ContextLsCases) data.Add(format, output, error);
        return data;
    }

    [Theory]
    [MemberData(nameof(InspectCases))]
    public void Inspect_template_prints_what_docker_prints(string template, string expectedOutput, string expectedError)
    {
        string output = "", error = "";
        try
        {
            output = GoTemplate.Parse(template).Execute(Data);
        }
        catch (TemplateException e)
        {
            error = e.Message;
        }
        Assert.Equal(expectedError, error);
        if (expectedError.Length == 0) Assert.Equal(expectedOutput, output);
    }

    [Theory]
    [MemberData(nameof(ContextLsCases))]
    public void Formatter_rows_print_what_docker_context_ls_prints(string format, string expectedOutput, string expectedError)
    {
        var rows = ContextRows();
        string output = "", error = "";
        try
        {
            output = TableFormatter.Render(format, rows, ContextHeaders);
        }
        catch (TemplateException e)
        {
            error = e.Message;
        }
        Assert.Equal(expectedError, error);
        Assert.Equal(expectedOutput, output);
    }

    /// <summary>docker's clientContextContext: a struct whose columns are methods without arguments.</summary>
    internal static List<TemplateObject> ContextRows() =>
        JsonNode.Parse(DockerGoldenData.ContextRowsJson)!.AsArray()
            .Select(row => new TemplateObject(row!.AsObject(), typeName: "*formatter.clientContextContext"))
            .ToList();

    internal static readonly Dictionary<string, string> ContextHeaders = new()
    {
        ["Name"] = "NAME",
        ["Description"] = "DESCRIPTION",
        ["DockerEndpoint"] = "DOCKER ENDPOINT",
        ["Error"] = "ERROR",
    };
}
