using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Berth.Cli.Client;
using Berth.Cli.CommandLine;
using Berth.Cli.Templates;

namespace Berth.Cli.Commands;

/// <summary>"berth version": the client's and the daemon's versions, in docker's layout.</summary>
internal static class VersionCommand
{
    const string DefaultTemplate = """
        {{with .Client -}}
        Client:{{if ne .Platform.Name ""}} {{.Platform.Name}}{{end}}
         Version:	{{.Version}}
         API version:	{{.APIVersion}}{{if ne .APIVersion .DefaultAPIVersion}} (downgraded from {{.DefaultAPIVersion}}){{end}}
         .NET version:	{{.GoVersion}}
         Git commit:	{{.GitCommit}}
         Built:	{{.BuildTime}}
         OS/Arch:	{{.Os}}/{{.Arch}}
         Context:	{{.Context}}
        {{- end}}

        {{- if .ServerOK}}{{with .Server}}

        Server:{{if ne .Platform.Name ""}} {{.Platform.Name}}{{end}}
         {{- range $component := .Components}}
         {{$component.Name}}:
          {{- if eq $component.Name "Engine" }}
          Version:	{{.Version}}
          API version:	{{index .Details "ApiVersion"}} (minimum version {{index .Details "MinAPIVersion"}})
          Go version:	{{index .Details "GoVersion"}}
          Git commit:	{{index .Details "GitCommit"}}
          Built:	{{index .Details "BuildTime"}}
          OS/Arch:	{{index .Details "Os"}}/{{index .Details "Arch"}}
          Experimental:	{{index .Details "Experimental"}}
          {{- else }}
          Version:	{{$component.Version}}
          {{- range $key, $value := $component.Details}}
          {{$key}}:	{{$value}}
           {{- end}}
          {{- end}}
         {{- end}}
         {{- end}}{{- end}}
        """;

    public static CommandSpec Spec() => new()
    {
        Name = "version",
        Use = "[OPTIONS]",
        Short = "Show the Berth version information",
        Category = CommandCategory.Top,
        TopOrder = 11,
        Args = ArgsRule.None,
        Setup = flags =>
        {
            var format = FormatFlags.Inspect(flags);
            return inv => RunAsync(inv, format.Value);
        },
    };

    static async Task<int> RunAsync(Invocation inv, string format)
    {
        var client = new JsonObject
        {
            ["Platform"] = new JsonObject { ["Name"] = "" },
            ["Version"] = BuildInfo.Version,
            ["ApiVersion"] = DaemonClient.MaxApiVersion,
            ["DefaultAPIVersion"] = DaemonClient.MaxApiVersion,
            ["GitCommit"] = BuildInfo.GitCommit,
            ["GoVersion"] = RuntimeInformation.FrameworkDescription.Replace(".NET ", "", StringComparison.Ordinal),
            ["Os"] = "linux",
            ["Arch"] = Arch(),
            ["BuildTime"] = Output.GoTime.Ansic(BuildInfo.Built),
            ["Context"] = "default",
        };
        var data = new JsonObject { ["Client"] = client };
        Exception? serverError = null;
        try
        {
            var server = await inv.Client.GetJsonAsync("/version").ConfigureAwait(false);
            ShowBuildTimesAsAnsic(server);
            client["ApiVersion"] = await inv.Client.ApiVersionAsync().ConfigureAwait(false);
            data["Server"] = server;
            data["ServerOK"] = true;
        }
        catch (Exception e) when (e is DaemonException or DaemonUnreachableException or IOException)
        {
            serverError = e;
            data["Server"] = null;
            data["ServerOK"] = false;
        }
        if (format == "json")
        {
            // docker's client platform is a pointer left out of the JSON when it has no name.
            var json = (JsonObject)data.DeepClone();
            if (json["Client"] is JsonObject c && c["Platform"]?["Name"]?.GetValue<string>() is "")
                c.Remove("Platform");
            inv.Out.WriteLine(GoTemplate.Parse("{{json .}}").Execute(json));
        }
        else if (format.Length > 0)
        {
            inv.Out.WriteLine(GoTemplate.Parse(format).Execute(WithGoFieldNames(data)));
        }
        else
        {
            var tabs = new TabWriter(inv.Out, 20, 1, 1, ' ');
            tabs.Write(GoTemplate.Parse(DefaultTemplate).Execute(WithGoFieldNames(data)));
            tabs.Write("\n");
            tabs.Flush();
        }
        if (serverError is not null)
            throw serverError;
        return 0;
    }

    /// <summary>
    /// docker runs version templates over Go structs, whose field is APIVersion where the JSON says ApiVersion:
    /// templates see the Go name, "--format json" the JSON one.
    /// </summary>
    static JsonObject WithGoFieldNames(JsonObject data)
    {
        var copy = (JsonObject)data.DeepClone();
        foreach (var part in new[] { "Client", "Server" })
        {
            if (copy[part] is JsonObject o && o.Remove("ApiVersion", out var version))
                o["APIVersion"] = version;
        }
        return copy;
    }

    /// <summary>docker shows the daemon's build times (RFC 3339 in the API) in Go's ANSIC layout.</summary>
    static void ShowBuildTimesAsAnsic(JsonNode? server)
    {
        static void Convert(JsonObject? o)
        {
            if (o?["BuildTime"] is JsonValue v && v.TryGetValue(out string? text) && Output.GoTime.TryParse(text, out var time))
                o["BuildTime"] = Output.GoTime.Ansic(time);
        }
        // Only the components' details: the top-level BuildTime stays as the daemon wrote it, as in docker.
        if (server is not JsonObject o)
            return;
        if (o["Components"] is JsonArray components)
        {
            foreach (var c in components)
                Convert(c?["Details"] as JsonObject);
        }
    }

    public static string Arch() => RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "amd64",
        Architecture.Arm64 => "arm64",
        Architecture.Arm => "arm",
        Architecture.X86 => "386",
        Architecture.S390x => "s390x",
        Architecture.Ppc64le => "ppc64le",
        Architecture.RiscV64 => "riscv64",
        _ => RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant(),
    };
}
