using System.Text.Json;
using Berth.TestSupport;

namespace Berth.Linux.Tests.Net;

/// <summary>iproute2's own view (`ip -j ...`), to cross-check what the code under test did; never used to set anything up.</summary>
internal static class IpTool
{
    /// <summary>`ip -j -d args` in the host namespace, or in the namespace file <paramref name="netns"/> through nsenter.</summary>
    public static JsonElement Json(string? netns, params string[] args)
    {
        string ip = HostTools.Require("ip", "iproute2");
        CommandResult result;
        if (netns is null)
        {
            result = ProcessRunner.Run(ip, ["-j", "-d", .. args]);
        }
        else
        {
            string nsenter = HostTools.Require("nsenter", "util-linux");
            result = ProcessRunner.Run(nsenter, [$"--net={netns}", ip, "-j", "-d", .. args]);
        }
        result.EnsureSuccess($"ip {string.Join(' ', args)}");
        using var document = JsonDocument.Parse(result.Stdout);
        return document.RootElement.Clone();
    }

    /// <summary>"local/prefixlen" of every address of <paramref name="link"/> as `ip -j addr show dev` lists them.</summary>
    public static List<string> Addresses(string? netns, string link) =>
        Json(netns, "addr", "show", "dev", link).EnumerateArray()
            .SelectMany(l => l.GetProperty("addr_info").EnumerateArray())
            .Select(a => $"{a.GetProperty("local").GetString()}/{a.GetProperty("prefixlen").GetInt32()}")
            .ToList();

    public static JsonElement Link(string? netns, string link) => Json(netns, "link", "show", "dev", link)[0];
}
