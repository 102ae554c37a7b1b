using System.Text.Json.Nodes;
using Berth.Cli.Templates;

namespace Berth.Cli.Tests.Templates;

/// <summary>
/// The formats docker users write, over the JSON shape of <c>docker inspect</c>, and the
/// places where Berth follows docker's typed structs rather than Go's generic JSON maps.
/// </summary>
public class GoTemplateTests
{
    private const string ContainerJson = """
        {
          "Id": "4fa6e0f0c6786287e131c3852c58a2e01cc697a68231826813597e4994f1d6e2",
          "Created": "2024-05-01T10:00:00.123456789Z",
          "Path": "nginx",
          "Args": ["-g", "daemon off;"],
          "State": {"Status": "running", "Running": true, "Paused": false, "Pid": 4242, "ExitCode": 0,
                    "StartedAt": "2024-05-01T10:00:01Z", "Health": null},
          "Image": "sha256:abc",
          "Name": "/web-1",
          "RestartCount": 0,
          "SizeRw": 9007199254740993,
          "CpuShares": 0.5,
          "Config": {
            "Hostname": "4fa6e0f0c678",
            "Env": ["PATH=/usr/local/sbin:/usr/local/bin", "NGINX_VERSION=1.25.4", "MSG=<b>&</b>"],
            "Cmd": ["nginx", "-g", "daemon off;"],
            "Image": "nginx:latest",
            "Labels": {"com.docker.compose.project": "shop", "maintainer": "NGINX <docker-maint@nginx.com>"},
            "ExposedPorts": {"80/tcp": {}}
          },
          "HostConfig": {"NetworkMode": "bridge", "RestartPolicy": {"Name": "no", "MaximumRetryCount": 0}, "Binds": null},
          "NetworkSettings": {
            "Ports": {"443/tcp": null, "80/tcp": [{"HostIp": "0.0.0.0", "HostPort": "8080"}, {"HostIp": "::", "HostPort": "8080"}]},
            "Networks": {"bridge": {"IPAddress": "172.17.0.2", "Gateway": "172.17.0.1", "Aliases": null}}
          },
          "Mounts": [
            {"Type": "volume", "Name": "data", "Source": "/var/lib/docker/volumes/data/_data", "Destination": "/data", "RW": true},
            {"Type": "bind", "Source": "/etc/nginx", "Destination": "/etc/nginx", "RW": false}
          ]
        }
        """;

    private static readonly JsonNode Container = JsonNode.Parse(ContainerJson)!;

    private static string Run(string template, JsonNode? data = null) => GoTemplate.Parse(template).Execute(data ?? Container);

    private static string ErrorOf(string template, JsonNode? data = null, MissingKeyMode missingKey = MissingKeyMode.Default)
    {
        var e = Assert.ThrowsAny<TemplateException>(() => GoTemplate.Parse(template, missingKey: missingKey).Execute(data ?? Container));
        return e.Message;
    }

    [Theory]
    [InlineData("{{.Id}}", "4fa6e0f0c6786287e131c3852c58a2e01cc697a68231826813597e4994f1d6e2")]
    [InlineData("{{.State.Pid}}", "4242")]
    [InlineData("{{.State.Status}} {{.State.Running}} {{.State.Paused}} {{.RestartCount}}", "running true false 0")]
    [InlineData("{{.SizeRw}}", "9007199254740993")]
    [InlineData("{{.CpuShares}}", "0.5")]
    [InlineData("{{.Config.Env}}", "[PATH=/usr/local/sbin:/usr/local/bin NGINX_VERSION=1.25.4 MSG=<b>&</b>]")]
    [InlineData("{{json .Config.Env}}", """["PATH=/usr/local/sbin:/usr/local/bin","NGINX_VERSION=1.25.4","MSG=<b>&</b>"]""")]
    [InlineData("{{json .State}}", """{"Status":"running","Running":true,"Paused":false,"Pid":4242,"ExitCode":0,"StartedAt":"2024-05-01T10:00:01Z","Health":null}""")]
    [InlineData("{{json .SizeRw}} {{json .CpuShares}} {{json .HostConfig.Binds}}", "9007199254740993 0.5 null")]
    [InlineData("{{range .Mounts}}{{.Source}} {{end}}", "/var/lib/docker/volumes/data/_data /etc/nginx ")]
    [InlineData("{{range .Mounts}}{{.Destination}}{{if not .RW}}:ro{{end}};{{end}}", "/data;/etc/nginx:ro;")]
    [InlineData("{{index .Config.Labels \"com.docker.compose.project\"}}", "shop")]
    [InlineData("{{range $k, $v := .NetworkSettings.Ports}}{{$k}}{{end}}", "443/tcp80/tcp")]
    [InlineData("{{range $p, $conf := .NetworkSettings.Ports}}{{$p}}{{with $conf}} -> {{(index . 0).HostPort}}{{end}}; {{end}}",
        "443/tcp; 80/tcp -> 8080; ")]
    [InlineData("{{(index (index .NetworkSettings.Ports \"80/tcp\") 1).HostIp}}", "::")]
    [InlineData("{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}", "172.17.0.2")]
    [InlineData("{{if eq .State.Status \"running\"}}up{{else}}down{{end}}", "up")]
    [InlineData("{{if eq .State.ExitCode 0}}ok{{end}} {{if gt .State.Pid 1}}pid{{end}}", "ok pid")]
    [InlineData("{{.Name | printf \"%-10s\"}}|", "/web-1    |")]
    [InlineData("{{join .Args \",\"}}", "-g,daemon off;")]
    [InlineData("{{join .Config.Cmd \" \"}}", "nginx -g daemon off;")]
    [InlineData("{{upper .Name}} {{lower .State.Status}} {{title .HostConfig.NetworkMode}}", "/WEB-1 running Bridge")]
    [InlineData("{{slice .Id 0 12}} {{truncate .Id 12}}", "4fa6e0f0c678 4fa6e0f0c678")]
    [InlineData("{{range .Config.Env}}{{$kv := split . \"=\"}}{{index $kv 0}} {{end}}", "PATH NGINX_VERSION MSG ")]
    [InlineData("{{len .Mounts}} {{len .Config.Labels}} {{len .Name}}", "2 2 6")]
    [InlineData("{{with .State.Health}}{{.Status}}{{else}}no healthcheck{{end}}", "no healthcheck")]
    [InlineData("{{.HostConfig.RestartPolicy.Name}}", "no")]
    [InlineData("{{$.Name}}{{range .Mounts}}{{$.Name}}{{end}}", "/web-1/web-1/web-1")]
    public void Common_docker_inspect_formats(string template, string expected)
    {
        Assert.Equal(expected, Run(template));
    }

    [Fact]
    public void Trim_markers_remove_the_surrounding_white_space()
    {
        Assert.Equal("volumebind\n", Run("{{- range .Mounts -}}\n  {{ .Type }}\n{{- end }}\n"));
        Assert.Equal("volume\nbind\n", Run("{{range .Mounts -}}\n  {{ .Type }}\n{{ end -}}\n"));
        Assert.Equal("a/web-1b", Run("a  {{- .Name -}}  \n b"));
        Assert.Equal("a-3", Run("a{{-3}}"));
        Assert.Equal("ab", Run("a {{- /* a comment */ -}} b"));
    }

    [Fact]
    public void Variables_are_scoped_to_their_block_and_assignable()
    {
        Assert.Equal("2", Run("{{$x := 1}}{{if true}}{{$x = 2}}{{end}}{{$x}}"));
        Assert.Equal("1", Run("{{$x := 1}}{{if true}}{{$x := 2}}{{end}}{{$x}}"));
        Assert.Equal("0:-g 1:daemon off; ", Run("{{range $i, $e := .Args}}{{$i}}:{{$e}} {{end}}"));
        Assert.Equal("template: :1: undefined variable \"$x\"",
            Assert.Throws<TemplateParseException>(() => GoTemplate.Parse("{{with .Name}}{{$x := 1}}{{end}}{{$x}}")).Message);
    }

    [Fact]
    public void Range_supports_else_break_continue_and_integers()
    {
        Assert.Equal("none", Run("{{range .HostConfig.Binds}}x{{else}}none{{end}}"));
        Assert.Equal("nginx;", Run("{{range .Config.Cmd}}{{if eq . \"-g\"}}{{break}}{{end}}{{.}};{{end}}"));
        Assert.Equal("nginx;daemon off;;", Run("{{range .Config.Cmd}}{{if eq . \"-g\"}}{{continue}}{{end}}{{.}};{{end}}"));
        Assert.Equal("012", Run("{{range 3}}{{.}}{{end}}"));
        Assert.Equal("0123", Run("{{range .State.Pid}}{{if ge . 4}}{{break}}{{end}}{{.}}{{end}}"));
        // A port without bindings is docker's nil []PortBinding: no elements.
        Assert.Equal("template: :1:2: executing \"\" at <index .NetworkSettings.Ports \"443/tcp\" 0>: error calling index: reflect: slice index out of range",
            ErrorOf("{{index .NetworkSettings.Ports \"443/tcp\" 0}}"));
    }

    [Fact]
    public void Else_if_and_else_with_chains()
    {
        const string template = "{{if eq .State.Status \"exited\"}}E{{else if .State.Running}}R{{else}}?{{end}}";
        Assert.Equal("R", Run(template));
        Assert.Equal("running", Run("{{with .State.Health}}H{{else with .State.Status}}{{.}}{{end}}"));
    }

    [Fact]
    public void Defined_templates_and_blocks()
    {
        Assert.Equal("[/data][/etc/nginx]", Run("{{define \"m\"}}[{{.Destination}}]{{end}}{{range .Mounts}}{{template \"m\" .}}{{end}}"));
        Assert.Equal("<running>", Run("{{block \"b\" .State.Status}}<{{.}}>{{end}}"));
        Assert.Equal("template: :1:25: executing \"inner\" at <.Nope.X>: nil pointer evaluating interface {}.X",
            ErrorOf("{{define \"inner\"}}{{.Nope.X}}{{end}}{{template \"inner\" .State}}",
                JsonNode.Parse("""{"State":{"Nope":null}}""")));
    }

    // ---- numbers: typed as docker's structs type them ----

    [Fact]
    public void Integral_json_numbers_are_ints_and_fractional_ones_floats()
    {
        var data = JsonNode.Parse("""{"Int":1234567,"Big":18446744073709551615,"Neg":-9223372036854775808,"F":1234567.5,"E":1e21,"Tiny":0.00001}""");
        // Go's generic JSON decoding would print 1.234567e+06 for the first; docker's int fields print digits.
        Assert.Equal("1234567 18446744073709551615 -9223372036854775808", Run("{{.Int}} {{.Big}} {{.Neg}}", data));
        Assert.Equal("1.2345675e+06 1e+21 1e-05", Run("{{.F}} {{.E}} {{.Tiny}}", data));
        Assert.Equal("001234567|1234567.50", Run("{{printf \"%09d|%.2f\" .Int .F}}", data));
        Assert.Equal("true", Run("{{eq .Int 1234567}}", data));
        Assert.Equal("1234567.5 1e+21 0.00001", Run("{{json .F}} {{json .E}} {{json .Tiny}}", data));
    }

    // ---- maps: missing keys, nulls and docker's typed nil maps ----

    [Fact]
    public void Missing_keys_print_no_value_and_nil_interfaces_error_on_field_access()
    {
        Assert.Equal("<no value>", Run("{{.Nope}}"));
        Assert.Equal("<no value>", Run("{{.Nope.Deeper}}"));
        Assert.Equal("<no value>", Run("{{.State.Health}}"));
        Assert.Equal("<nil>", Run("{{print .State.Health}}"));
        Assert.Equal("template: :1:8: executing \"\" at <.State.Health.Status>: nil pointer evaluating interface {}.Status",
            ErrorOf("{{.State.Health.Status}}"));
    }

    [Fact]
    public void Missingkey_error_mode_reports_the_key()
    {
        Assert.Equal("template: :1:8: executing \"\" at <.State.Nope>: map has no entry for key \"Nope\"",
            ErrorOf("{{.State.Nope}}", missingKey: MissingKeyMode.Error));
        Assert.Equal("running", GoTemplate.Parse("{{.State.Status}}", missingKey: MissingKeyMode.Error).Execute(Container));
    }

    [Fact]
    public void Index_of_a_missing_label_is_empty_as_with_docker_typed_label_maps()
    {
        Assert.Equal("", Run("{{index .Config.Labels \"com.example.missing\"}}"));
        var image = JsonNode.Parse("""{"Config":{"Labels":null,"ExposedPorts":{"80/tcp":{}}},"Env":null}""");
        Assert.Equal("", Run("{{index .Config.Labels \"maintainer\"}}", image));
        Assert.Equal("0", Run("{{len .Env}}", image));
        // Not a string map: Go's zero value of interface{}, printed as a missing value.
        Assert.Equal("<no value>", Run("{{index .Config.ExposedPorts \"443/tcp\"}}", image));
        Assert.Equal("template: :1:2: executing \"\" at <index .Nope \"x\">: error calling index: index of untyped nil",
            ErrorOf("{{index .Nope \"x\"}}", image));
    }

    [Fact]
    public void Json_keeps_api_key_order_and_does_not_escape_html()
    {
        Assert.Equal("""{"Name":"no","MaximumRetryCount":0}""", Run("{{json .HostConfig.RestartPolicy}}"));
        Assert.Equal("""{"com.docker.compose.project":"shop","maintainer":"NGINX <docker-maint@nginx.com>"}""",
            Run("{{json .Config.Labels}}"));
        Assert.Equal("\"a\\u2028b\\tc\\u0001\"", Run("{{json .}}", JsonValue.Create("a\u2028b\tc\u0001")));
    }

    [Fact]
    public void Maps_print_sorted_like_go()
    {
        Assert.Equal("map[443/tcp:<nil> 80/tcp:[map[HostIp:0.0.0.0 HostPort:8080] map[HostIp::: HostPort:8080]]]",
            Run("{{.NetworkSettings.Ports}}"));
    }

    // ---- errors ----

    [Theory]
    [InlineData("{{foo}}", "template: :1: function \"foo\" not defined")]
    [InlineData("{{.Name", "template: :1: unclosed action")]
    [InlineData("{{if .Name}}", "template: :1: unexpected EOF")]
    [InlineData("{{end}}", "template: :1: unexpected {{end}}")]
    [InlineData("line1\n{{range}}{{end}}", "template: :2: missing value for range")]
    [InlineData("{{.Name | 3}}", "template: :1: non executable command in pipeline stage 2")]
    [InlineData("{{\"x}}", "template: :1: unterminated quoted string")]
    [InlineData("{{break}}", "template: :1: {{break}} outside {{range}}")]
    public void Parse_errors_read_as_go_reports_them(string template, string expected)
    {
        Assert.Equal(expected, Assert.Throws<TemplateParseException>(() => GoTemplate.Parse(template)).Message);
    }

    [Theory]
    [InlineData("{{.Name.Foo}}", "template: :1:7: executing \"\" at <.Name.Foo>: can't evaluate field Foo in type interface {}")]
    [InlineData("{{range .Name}}{{end}}", "template: :1:8: executing \"\" at <.Name>: range can't iterate over /web-1")]
    [InlineData("{{index .Args 2}}", "template: :1:2: executing \"\" at <index .Args 2>: error calling index: reflect: slice index out of range")]
    [InlineData("{{printf}}", "template: :1:2: executing \"\" at <printf>: wrong number of args for printf: want at least 1 got 0")]
    [InlineData("{{eq .State.Pid \"1\"}}", "template: :1:2: executing \"\" at <eq .State.Pid \"1\">: error calling eq: incompatible types for comparison")]
    [InlineData("{{truncate .Name \"3\"}}", "template: :1:17: executing \"\" at <\"3\">: expected integer; found \"3\"")]
    [InlineData("{{upper .State.Pid}}", "template: :1:14: executing \"\" at <.State.Pid>: wrong type for value; expected string; got int")]
    [InlineData("a\n  {{.Name.X}}", "template: :2:9: executing \"\" at <.Name.X>: can't evaluate field X in type interface {}")]
    public void Execution_errors_read_as_go_reports_them(string template, string expected)
    {
        Assert.Equal(expected, ErrorOf(template));
    }

    [Fact]
    public void Deep_nesting_fails_with_an_error_instead_of_overflowing_the_stack()
    {
        Exception? parse = null, execute = null;
        // A small stack, as a thread-pool thread may have: the limits must hold there too.
        var thread = new Thread(() =>
        {
            parse = Record.Exception(() => GoTemplate.Parse("{{" + new string('(', 20000) + "1" + new string(')', 20000) + "}}"));
            execute = Record.Exception(() =>
                GoTemplate.Parse("{{define \"r\"}}{{template \"r\" .}}{{end}}{{template \"r\" 1}}").Execute(Container));
        }, 1024 * 1024);
        thread.Start();
        thread.Join();
        Assert.Equal("template: :1: max expression depth exceeded", Assert.IsType<TemplateParseException>(parse).Message);
        Assert.EndsWith("exceeded maximum template depth (100000)", Assert.IsType<TemplateExecutionException>(execute).Message);
    }

    [Fact]
    public void Writer_execution_keeps_the_output_before_the_failure()
    {
        var output = new StringWriter();
        Assert.Throws<TemplateExecutionException>(() => GoTemplate.Parse("{{.Name}} then {{.Name.X}} never").Execute(output, Container));
        Assert.Equal("/web-1 then ", output.ToString());
    }

    // ---- formatter rows with methods ----

    private static TemplateObject PsRow()
    {
        var labels = new Dictionary<string, string> { ["com.docker.compose.service"] = "web", ["tier"] = "front" };
        var methods = new Dictionary<string, TemplateFunction>
        {
            ["Label"] = TemplateFunction.Of(a => labels.TryGetValue((string)a[0]!, out var v) ? v : "", TemplateParameter.String),
        };
        var fields = new JsonObject { ["ID"] = "4fa6e0f0c678", ["Names"] = "web-1", ["Status"] = "Up 2 hours", ["Command"] = "\"nginx -g <x>\"" };
        return new TemplateObject(fields, methods, "*formatter.ContainerContext");
    }

    [Fact]
    public void Row_methods_take_arguments()
    {
        var t = GoTemplate.Parse("{{.Names}}: {{.Label \"com.docker.compose.service\"}}/{{.Label \"tier\"}}/{{.Label \"x\"}}|");
        Assert.Equal("web-1: web/front/|", t.Execute(PsRow()));
        Assert.Equal("fron", GoTemplate.Parse("{{\"tier\" | .Label | printf \"%.4s\"}}").Execute(PsRow()));
    }

    [Fact]
    public void Rows_are_structs_unknown_fields_are_errors()
    {
        Assert.Equal("template: :1:2: executing \"\" at <.Image>: can't evaluate field Image in type *formatter.ContainerContext",
            Assert.Throws<TemplateExecutionException>(() => GoTemplate.Parse("{{.Image}}").Execute(PsRow())).Message);
        Assert.Equal("template: :1:2: executing \"\" at <.Label>: wrong number of args for Label: want 1 got 0",
            Assert.Throws<TemplateExecutionException>(() => GoTemplate.Parse("{{.Label}}").Execute(PsRow())).Message);
        Assert.Equal("template: :1:2: executing \"\" at <.ID>: ID has arguments but cannot be invoked as function",
            Assert.Throws<TemplateExecutionException>(() => GoTemplate.Parse("{{.ID 1}}").Execute(PsRow())).Message);
    }

    [Fact]
    public void Json_of_a_row_is_sorted_and_html_escaped_like_docker_formatter_contexts()
    {
        Assert.Equal("""{"Command":"\"nginx -g \u003cx\u003e\"","ID":"4fa6e0f0c678","Names":"web-1","Status":"Up 2 hours"}""",
            GoTemplate.Parse("{{json .}}").Execute(PsRow()));
    }

    // ---- functions supplied by the caller ----

    [Fact]
    public void Extra_functions_are_checked_and_called_as_go_calls_them()
    {
        var functions = new Dictionary<string, TemplateFunction>
        {
            ["repeat"] = TemplateFunction.Of(a => string.Concat(Enumerable.Repeat((string)a[0]!, (int)(long)a[1]!)),
                TemplateParameter.String, TemplateParameter.Int),
            ["fail"] = TemplateFunction.Of(_ => throw new TemplateFunctionException("no such container"), TemplateParameter.Any),
            ["sum"] = new TemplateFunction([TemplateParameter.Int], a => a.Sum(x => (long)x!), variadic: true),
            ["upper"] = TemplateFunction.Of(a => "overridden", TemplateParameter.String),
            ["adder"] = TemplateFunction.Of(_ => TemplateFunction.Of(a => (long)a[0]! + 1, TemplateParameter.Int)),
        };
        string Exec(string template) => GoTemplate.Parse(template, functions).Execute(Container);

        Assert.Equal("ababab", Exec("{{repeat \"ab\" 3}}"));
        Assert.Equal("6 0", Exec("{{sum 1 2 3}} {{sum}}"));
        Assert.Equal("overridden", Exec("{{upper .Name}}"));
        Assert.Equal("42", Exec("{{call adder 41}}"));
        Assert.Equal("template: :1:2: executing \"\" at <fail .Id>: error calling fail: no such container",
            Assert.Throws<TemplateExecutionException>(() => Exec("{{fail .Id}}")).Message);
        Assert.Equal("template: :1:15: executing \"\" at <.State.Pid>: wrong type for value; expected string; got int",
            Assert.Throws<TemplateExecutionException>(() => Exec("{{repeat .State.Pid 2}}")).Message);
        Assert.Equal("template: :1:2: executing \"\" at <call adder \"x\">: error calling call: arg 0: value has type string; should be int",
            Assert.Throws<TemplateExecutionException>(() => Exec("{{call adder \"x\"}}")).Message);
    }
}
