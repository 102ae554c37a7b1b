using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Berth.Cli.Client;
using Berth.Cli.CommandLine;
using Berth.Cli.Output;
using Berth.Cli.Templates;
using Berth.Engine.Model;

namespace Berth.Cli.Commands;

/// <summary>"berth info" / "berth system info": the client's and the daemon's settings in docker's layout.</summary>
internal static class InfoCommand
{
    public static CommandSpec Spec(string name, bool top) => new()
    {
        Name = name,
        Use = "[OPTIONS]",
        Short = "Display system-wide information",
        AliasesLine = "{0} system info, {0} info",
        Category = top ? CommandCategory.Top : CommandCategory.Plain,
        TopOrder = 12,
        Args = ArgsRule.None,
        Setup = flags =>
        {
            var format = FormatFlags.Inspect(flags);
            return inv => RunAsync(inv, format.Value);
        },
    };

    static async Task<int> RunAsync(Invocation inv, string format)
    {
        byte[] raw;
        Exception? serverError = null;
        JsonObject? serverJson = null;
        SystemInfo? info = null;
        try
        {
            raw = await inv.Client.GetBytesAsync("/info").ConfigureAwait(false);
            serverJson = JsonNode.Parse(raw) as JsonObject;
            info = DaemonClientTyped.Decode(raw, DockerJson.Default.SystemInfo);
        }
        catch (Exception e) when (e is DaemonException or DaemonUnreachableException or IOException)
        {
            serverError = e;
        }
        if (format.Length > 0)
        {
            var data = serverJson is null ? new JsonObject() : (JsonObject)serverJson.DeepClone();
            data["ClientInfo"] = new JsonObject { ["Debug"] = inv.Cli.Options.Debug, ["Version"] = BuildInfo.Version, ["Context"] = "default", ["Plugins"] = new JsonArray(), ["Warnings"] = null };
            data["ServerErrors"] = serverError is null ? null : new JsonArray(serverError.Message);
            inv.Out.WriteLine(GoTemplate.Parse(format == "json" ? "{{json .}}" : format).Execute(data));
            if (serverError is not null)
                throw serverError;
            return 0;
        }
        var sb = new StringBuilder();
        sb.Append("Client:\n");
        sb.Append(" Version:    ").Append(BuildInfo.Version).Append('\n');
        sb.Append(" Context:    default\n");
        sb.Append(" Debug Mode: ").Append(inv.Cli.Options.Debug ? "true" : "false").Append('\n');
        sb.Append('\n');
        sb.Append("Server:\n");
        if (info is null)
        {
            inv.Out.Write(sb.ToString());
            throw serverError!;
        }
        AppendServer(sb, info);
        inv.Out.Write(sb.ToString());
        foreach (var warning in info.Warnings ?? [])
            inv.Err.WriteLine(warning);
        return 0;
    }

    public static void AppendServer(StringBuilder sb, SystemInfo info)
    {
        void Line(string text) => sb.Append(' ').Append(text).Append('\n');
        Line($"Containers: {info.Containers}");
        Line($" Running: {info.ContainersRunning}");
        Line($" Paused: {info.ContainersPaused}");
        Line($" Stopped: {info.ContainersStopped}");
        Line($"Images: {info.Images}");
        Line($"Server Version: {info.ServerVersion}");
        Line($"Storage Driver: {info.Driver}");
        foreach (var pair in info.DriverStatus ?? [])
        {
            if (pair.Length == 2)
                Line($" {pair[0]}: {pair[1]}");
        }
        foreach (var pair in info.SystemStatus ?? [])
        {
            if (pair.Length == 2)
                Line($"{pair[0]}: {pair[1]}");
        }
        Line($"Logging Driver: {info.LoggingDriver}");
        Line($"Cgroup Driver: {info.CgroupDriver}");
        Line($"Cgroup Version: {info.CgroupVersion}");
        Line("Plugins:");
        Line($" Volume: {string.Join(' ', info.Plugins.Volume ?? [])}");
        Line($" Network: {string.Join(' ', info.Plugins.Network ?? [])}");
        if (info.Plugins.Authorization is { Count: > 0 } authz)
            Line($" Authorization: {string.Join(' ', authz)}");
        Line($" Log: {string.Join(' ', info.Plugins.Log ?? [])}");
        Line($"Swarm: {(info.Swarm.LocalNodeState.Length == 0 ? "inactive" : info.Swarm.LocalNodeState)}");
        if (info.Runtimes is { Count: > 0 } runtimes)
        {
            Line($"Runtimes: {string.Join(' ', runtimes.Keys.OrderBy(k => k, StringComparer.Ordinal))}");
            Line($"Default Runtime: {info.DefaultRuntime}");
        }
        Line($"Init Binary: {info.InitBinary}");
        Line($"containerd version: {info.ContainerdCommit.ID}");
        Line($"runc version: {info.RuncCommit.ID}");
        Line($"init version: {info.InitCommit.ID}");
        if (info.SecurityOptions is { Count: > 0 } security)
        {
            Line("Security Options:");
            foreach (var option in security)
            {
                foreach (var field in option.Split(','))
                {
                    int eq = field.IndexOf('=');
                    string key = eq < 0 ? field : field[..eq];
                    string value = eq < 0 ? "" : field[(eq + 1)..];
                    if (key == "name")
                        Line($" {value}");
                    else
                        Line($"  {char.ToUpperInvariant(key[0])}{key[1..]}: {value}");
                }
            }
        }
        Line($"Kernel Version: {info.KernelVersion}");
        Line($"Operating System: {info.OperatingSystem}");
        Line($"OSType: {info.OSType}");
        Line($"Architecture: {info.Architecture}");
        Line($"CPUs: {info.NCPU}");
        Line($"Total Memory: {HumanUnits.BytesSize(info.MemTotal)}");
        Line($"Name: {info.Name}");
        Line($"ID: {info.ID}");
        Line($"Docker Root Dir: {info.DockerRootDir}");
        Line($"Debug Mode: {(info.Debug ? "true" : "false")}");
        if (info.Debug)
        {
            Line($" File Descriptors: {info.NFd}");
            Line($" Goroutines: {info.NGoroutines}");
            Line($" System Time: {info.SystemTime}");
            Line($" EventsListeners: {info.NEventsListener}");
        }
        if (info.HttpProxy.Length > 0)
            Line($"HTTP Proxy: {info.HttpProxy}");
        if (info.HttpsProxy.Length > 0)
            Line($"HTTPS Proxy: {info.HttpsProxy}");
        if (info.NoProxy.Length > 0)
            Line($"No Proxy: {info.NoProxy}");
        if (info.Labels is { Count: > 0 } labels)
        {
            Line("Labels:");
            foreach (var l in labels)
                Line($" {l}");
        }
        Line($"Experimental: {(info.ExperimentalBuild ? "true" : "false")}");
        if (info.RegistryConfig?.InsecureRegistryCIDRs is { Count: > 0 } cidrs || info.RegistryConfig?.IndexConfigs?.Values.Any(i => i is { Secure: false }) == true)
        {
            Line("Insecure Registries:");
            foreach (var index in info.RegistryConfig?.IndexConfigs?.Values ?? Enumerable.Empty<IndexInfo?>())
            {
                if (index is { Secure: false })
                    Line($" {index.Name}");
            }
            foreach (var cidr in info.RegistryConfig?.InsecureRegistryCIDRs ?? [])
                Line($" {cidr}");
        }
        if (info.RegistryConfig?.Mirrors is { Count: > 0 } mirrors)
        {
            Line("Registry Mirrors:");
            foreach (var m in mirrors)
                Line($" {m}");
        }
        Line($"Live Restore Enabled: {(info.LiveRestoreEnabled ? "true" : "false")}");
        if (!string.IsNullOrEmpty(info.ProductLicense))
            Line($"Product License: {info.ProductLicense}");
        sb.Append('\n');
    }
}
