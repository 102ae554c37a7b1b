using System.Text.Json.Nodes;
using Berth.Cli.Templates;
using Berth.TestSupport;

namespace Berth.Cli.Tests.Templates;

/// <summary>
/// Runs templates through the installed docker CLI and through Berth over the same data and
/// compares the text. docker needs no daemon for this: <c>docker context inspect --format</c>
/// executes the template over a context's stored metadata, where arbitrary JSON can sit under an
/// endpoint, and <c>docker context ls --format</c> goes through docker's table formatter.
/// Everything lives in a private DOCKER_CONFIG directory, removed afterwards.
/// </summary>
public sealed class DockerCliDifferentialTests : IDisposable
{
    // Numbers are fractional or small so that docker's float64 and Berth's int print alike.
    private const string EndpointJson = """
        {"Status":"running","Pid":4242,"Ratio":0.25,"Up":true,"Nil":null,"Empty":"",
         "Args":["-c","echo <hi> & bye"],"Labels":{"com.example.vendor":"ACME","a":"1"},
         "Ports":{"80/tcp":[{"HostIp":"0.0.0.0","HostPort":"8080"}],"443/tcp":null},
         "Mounts":[{"Source":"/srv","Destination":"/data","RW":true},{"Source":"/etc/x","Destination":"/x","RW":false}],
         "Text":"tab\there \"quoted\" é 日本"}
        """;

    private readonly string _configDir = Path.Combine(Path.GetTempPath(), TestIds.New("tmpl-docker-config"));
    private readonly string _docker = HostTools.Require("docker", "docker-ce-cli");
    private readonly string _context = TestIds.New("tmpl");

    public DockerCliDifferentialTests() => Directory.CreateDirectory(_configDir);

    public void Dispose() => Directory.Delete(_configDir, recursive: true);

    private CommandResult Docker(params string[] args) =>
        ProcessRunner.Run(_docker, args, environment: new Dictionary<string, string> { ["DOCKER_CONFIG"] = _configDir });

    private JsonNode CreateContextWithEndpointData()
    {
        Docker("context", "create", _context, "--description", "berth template test",
            "--docker", "host=unix:///nonexistent/berth-test.sock").EnsureSuccess("docker context create");
        string metaFile = Directory.GetFiles(Path.Combine(_configDir, "contexts", "meta"), "meta.json", SearchOption.AllDirectories).Single();
        var meta = JsonNode.Parse(File.ReadAllText(metaFile))!;
        meta["Endpoints"]!["t"] = JsonNode.Parse(EndpointJson);
        File.WriteAllText(metaFile, meta.ToJsonString());
        string inspected = Docker("context", "inspect", _context).EnsureSuccess("docker context inspect").Stdout;
        var root = JsonNode.Parse(inspected)!.AsArray()[0]!.AsObject();
        // The template sees Name, Metadata and Endpoints; storage paths are irrelevant here.
        return new JsonObject
        {
            ["Name"] = root["Name"]!.DeepClone(),
            ["Metadata"] = root["Metadata"]!.DeepClone(),
            ["Endpoints"] = root["Endpoints"]!.DeepClone(),
        };
    }

    private static (string Output, string Error) Berth(string template, JsonNode data)
    {
        try
        {
            return (GoTemplate.Parse(template).Execute(data), "");
        }
        catch (TemplateException e)
        {
            return ("", e.Message);
        }
    }

    public static readonly string[] Templates =
    [
        "{{.Endpoints.t.Status}}",
        "{{.Endpoints.t.Pid}} {{.Endpoints.t.Ratio}} {{.Endpoints.t.Up}} {{.Endpoints.t.Nil}} {{.Endpoints.t.Missing}}",
        "{{json .Endpoints.t}}",
        "{{json .Endpoints.t.Args}} {{json .Endpoints.t.Text}}",
        "{{.Endpoints.t.Args}} {{.Endpoints.t.Labels}} {{.Endpoints.t.Ports}}",
        "{{range .Endpoints.t.Mounts}}{{.Source}}:{{.Destination}}{{if not .RW}}:ro{{end}} {{end}}",
        "{{range $k, $v := .Endpoints.t.Labels}}{{$k}}={{$v}};{{end}}",
        "{{range $p, $c := .Endpoints.t.Ports}}{{$p}}{{with $c}}->{{(index . 0).HostPort}}{{end}} {{end}}",
        "{{index .Endpoints.t.Labels \"com.example.vendor\"}}",
        "{{if eq .Endpoints.t.Status \"running\"}}up{{else}}down{{end}}",
        "{{.Endpoints.t.Status | printf \"%-10s|\"}}{{printf \"%5.1f%%\" .Endpoints.t.Ratio}}",
        "{{upper .Endpoints.t.Status}} {{title \"hello world\"}} {{pad .Endpoints.t.Status 1 2}}| {{truncate .Endpoints.t.Text 3}}",
        "{{split .Endpoints.t.Status \"n\"}} {{join (split \"a:b:c\" \":\") \"/\"}}",
        "{{- range .Endpoints.t.Args -}}\n  [{{.}}]\n{{- end -}}\n",
        "{{printf \"%q\" .Endpoints.t.Text}} {{html .Endpoints.t.Text}} {{js .Endpoints.t.Text}} {{urlquery .Endpoints.t.Text}}",
        "{{$n := len .Endpoints.t.Mounts}}{{$n}} {{len .Endpoints.t.Text}} {{slice .Endpoints.t.Args 1}}",
        "{{.Endpoints.t.Nil.X}}",
        "{{.Endpoints.t.Status.X}}",
        "{{index .Endpoints.t.Args 5}}",
        "{{range .Endpoints.t.Status}}{{end}}",
        "{{nosuchfunc .}}",
        "{{if .Endpoints.t.Up}}\n{{end",
        "{{printf \"%d\" .Endpoints.t.Status}}",
    ];

    [Fact]
    public void Inspect_templates_print_what_the_docker_cli_prints()
    {
        var data = CreateContextWithEndpointData();
        var differences = new List<string>();
        foreach (string template in Templates)
        {
            var docker = Docker("context", "inspect", "--format", template, _context);
            // docker adds a newline after each inspected object (and prints one alone on failure).
            string dockerOutput = docker.Stdout.EndsWith('\n') ? docker.Stdout[..^1] : docker.Stdout;
            string dockerError = docker.Stderr.Trim();
            const string prefix = "template parsing error: ";
            if (dockerError.StartsWith(prefix, StringComparison.Ordinal)) dockerError = dockerError[prefix.Length..];
            if (dockerError.Length > 0) dockerOutput = "";
            var (output, error) = Berth(template, data);
            if (output != dockerOutput || error != dockerError)
                differences.Add($"{template}\n  docker: {dockerOutput} | {dockerError}\n  berth:  {output} | {error}");
        }
        Assert.True(differences.Count == 0, string.Join("\n", differences));
    }

    [Fact]
    public void Table_formats_print_what_docker_context_ls_prints()
    {
        CreateContextWithEndpointData();
        Docker("context", "create", TestIds.New("tmpl-wide"), "--description", "日本語 <x> & é",
            "--docker", "host=unix:///nonexistent/berth-test-2.sock").EnsureSuccess("docker context create");
        string jsonLines = Docker("context", "ls", "--format", "{{json .}}").EnsureSuccess("docker context ls").Stdout;
        var rows = jsonLines.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => new TemplateObject(JsonNode.Parse(l)!.AsObject(), typeName: "*formatter.clientContextContext"))
            .ToList();
        string[] formats =
        [
            "table {{.Name}}{{if .Current}} *{{end}}\\t{{.Description}}\\t{{.DockerEndpoint}}\\t{{.Error}}",
            "table {{upper .Name}}\\t{{pad .Description 1 1}}|{{truncate .DockerEndpoint 12}}",
            "{{.Name}}\\t{{.Current}}",
            "json",
            "table {{.Name}}\\t{{.Nope}}",
        ];
        var differences = new List<string>();
        foreach (string format in formats)
        {
            var docker = Docker("context", "ls", "--format", format);
            string dockerError = docker.Stderr.Trim();
            const string prefix = "template parsing error: ";
            if (dockerError.StartsWith(prefix, StringComparison.Ordinal)) dockerError = dockerError[prefix.Length..];
            string output = "", error = "";
            try
            {
                output = TableFormatter.Render(format, rows, DockerGoldenTests.ContextHeaders);
            }
            catch (TemplateException e)
            {
                error = e.Message;
            }
            if (output != docker.Stdout || error != dockerError)
                differences.Add($"{format}\n  docker: {docker.Stdout} | {dockerError}\n  berth:  {output} | {error}");
        }
        Assert.True(differences.Count == 0, string.Join("\n", differences));
    }
}
