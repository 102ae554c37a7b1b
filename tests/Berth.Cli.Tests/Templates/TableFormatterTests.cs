using System.Text.Json.Nodes;
using Berth.Cli.Templates;

namespace Berth.Cli.Tests.Templates;

/// <summary>docker's formatter: the <c>table</c> directive, header titles, and plain row output.</summary>
public class TableFormatterTests
{
    private static readonly Dictionary<string, string> ContainerHeaders = new()
    {
        ["ID"] = "CONTAINER ID",
        ["Image"] = "IMAGE",
        ["Command"] = "COMMAND",
        ["Status"] = "STATUS",
        ["Names"] = "NAMES",
        ["Label"] = "LABEL",
    };

    private static TemplateObject Row(string id, string image, string status, string names, string? tier = null)
    {
        var methods = new Dictionary<string, TemplateFunction>
        {
            ["Label"] = TemplateFunction.Of(a => (string)a[0]! == "tier" ? tier ?? "" : "", TemplateParameter.String),
        };
        var fields = new JsonObject { ["ID"] = id, ["Image"] = image, ["Command"] = "\"nginx -g 'daemon of…\"", ["Status"] = status, ["Names"] = names };
        return new TemplateObject(fields, methods, "*formatter.ContainerContext");
    }

    private static readonly TemplateObject[] Rows =
    [
        Row("4fa6e0f0c678", "nginx:latest", "Up 2 hours", "web-1", "front"),
        Row("0123456789ab", "busybox", "Exited (0) 3 days ago", "job"),
    ];

    [Fact]
    public void Table_prints_titles_then_aligned_rows()
    {
        Assert.Equal(
            "CONTAINER ID   IMAGE          NAMES\n" +
            "4fa6e0f0c678   nginx:latest   web-1\n" +
            "0123456789ab   busybox        job\n",
            TableFormatter.Render("table {{.ID}}\\t{{.Image}}\\t{{.Names}}", Rows, ContainerHeaders));
    }

    [Fact]
    public void Header_titles_ignore_string_functions_but_keep_pad()
    {
        Assert.Equal(
            "CONTAINER ID    IMAGE |NAMES\n" +
            "4fa6e0f0        nginx:latest |WEB-1\n" +
            "01234567        busybox |JOB\n",
            TableFormatter.Render("table {{truncate .ID 8}}\\t{{pad .Image 1 1}}|{{upper .Names}}", Rows, ContainerHeaders));
    }

    [Fact]
    public void A_header_error_keeps_what_was_rendered_before_it()
    {
        // The header data is a map of titles: .Label "tier" cannot be called on it, as in docker.
        Assert.Equal(
            "NAMES     \n" +
            "web-1     front\n" +
            "job       \n",
            TableFormatter.Render("table {{.Names}}\\t{{.Label \"tier\"}}", Rows, ContainerHeaders));
    }

    [Fact]
    public void Without_table_each_row_is_followed_by_a_newline()
    {
        Assert.Equal("web-1\tUp 2 hours\njob\tExited (0) 3 days ago\n",
            TableFormatter.Render("{{.Names}}\\t{{.Status}}", Rows, ContainerHeaders));
        Assert.Equal("", TableFormatter.Render("{{.Names}}", Array.Empty<TemplateObject>()));
        Assert.Equal("CONTAINER ID\n", TableFormatter.Render("table {{.ID}}", Array.Empty<TemplateObject>(), ContainerHeaders));
    }

    [Fact]
    public void Json_format_marshals_each_row()
    {
        string[] lines = TableFormatter.Render("json", Rows).Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.Equal("""{"Command":"\"nginx -g 'daemon of…\"","ID":"4fa6e0f0c678","Image":"nginx:latest","Names":"web-1","Status":"Up 2 hours"}""", lines[0]);
        Assert.Equal("", lines[2]);
    }

    [Fact]
    public void Json_rows_format_like_inspect_data()
    {
        var rows = new JsonNode?[] { JsonNode.Parse("""{"Name":"a","Size":10}"""), JsonNode.Parse("""{"Name":"bb","Size":2000}""") };
        Assert.Equal("NAME      SIZE\na         10\nbb        2000\n",
            TableFormatter.Render("table {{.Name}}\t{{.Size}}", rows, new Dictionary<string, string> { ["Name"] = "NAME", ["Size"] = "SIZE" }));
    }

    [Fact]
    public void A_failing_row_fails_the_whole_output()
    {
        var output = new StringWriter();
        var e = Assert.Throws<TemplateExecutionException>(() =>
            TableFormatter.Write(output, "table {{.Names}}\\t{{.Ports}}", Rows, ContainerHeaders));
        Assert.Equal("template: :1:13: executing \"\" at <.Ports>: can't evaluate field Ports in type *formatter.ContainerContext", e.Message);
        Assert.Equal("", output.ToString());
        Assert.Equal("template: :1: function \"nope\" not defined",
            Assert.Throws<TemplateParseException>(() => TableFormatter.Render("{{nope}}", Rows)).Message);
    }

    [Theory]
    [InlineData("table {{.ID}}\\t{{.Names}}", "{{.ID}}\t{{.Names}}", true)]
    [InlineData("table   {{.ID}}  ", "{{.ID}}", true)]
    [InlineData("  table {{.ID}}", "table {{.ID}}", false)]
    [InlineData("{{.ID}}\\n", "{{.ID}}\n", false)]
    [InlineData("json", "{{json .}}", false)]
    [InlineData(" {{.ID}} ", "{{.ID}}", false)]
    public void Formats_are_prepared_as_docker_prepares_them(string format, string template, bool isTable)
    {
        Assert.Equal((template, isTable), DockerFormat.Prepare(format));
    }
}
