using System.Globalization;
using System.Text.RegularExpressions;
using Berth.Cli.CommandLine;

namespace Berth.Cli.Options;

/// <summary>
/// One --network of run and create (opts.NetworkAttachmentOpts): a network's name, or docker's long syntax
/// "name=n1,alias=web,ip=10.0.0.2,ip6=...,mac-address=...,link-local-ip=...,driver-opt=k=v,gw-priority=1".
/// </summary>
internal sealed partial class NetworkAttachment
{
    public string Target { get; set; } = "";

    public List<string> Aliases { get; set; } = [];

    public List<string> Links { get; set; } = [];

    public string IPv4Address { get; set; } = "";

    public string IPv6Address { get; set; } = "";

    public string MacAddress { get; set; } = "";

    public List<string> LinkLocalIPs { get; set; } = [];

    public SortedDictionary<string, string>? DriverOpts { get; set; }

    public int GwPriority { get; set; }

    /// <summary>opts.NetworkOpt.Set, with its errors (the whole field lower-cased, as docker does).</summary>
    public static NetworkAttachment Parse(string value)
    {
        if (!LongSyntax().IsMatch(value))
            return new NetworkAttachment { Target = value };
        var n = new NetworkAttachment();
        foreach (var field in Csv.Fields(value))
        {
            string lower = field.ToLowerInvariant();
            int eq = lower.IndexOf('=');
            if (eq <= 0)
                throw new FlagValueException($"invalid field {field}");
            string key = lower[..eq].Trim();
            string val = lower[(eq + 1)..].Trim();
            switch (key)
            {
                case "name": n.Target = val; break;
                case "alias": n.Aliases.Add(val); break;
                case "ip": n.IPv4Address = val; break;
                case "ip6": n.IPv6Address = val; break;
                case "mac-address": n.MacAddress = val; break;
                case "link-local-ip": n.LinkLocalIPs.Add(val); break;
                case "driver-opt":
                    int deq = val.IndexOf('=');
                    if (deq <= 0)
                        throw new FlagValueException("invalid key value pair format in driver options");
                    (n.DriverOpts ??= new(StringComparer.Ordinal))[val[..deq].Trim()] = val[(deq + 1)..].Trim();
                    break;
                case "gw-priority":
                    // strconv.Atoi: a 64-bit int, which the endpoint's int then holds.
                    if (!long.TryParse(val, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long priority))
                        throw new FlagValueException($"invalid gw-priority ({val}): {(val.Length > 0 && val.TrimStart('+', '-').All(char.IsAsciiDigit) && val.TrimStart('+', '-').Length > 0 ? "value out of range" : "invalid syntax")}");
                    n.GwPriority = (int)priority;
                    break;
                default:
                    throw new FlagValueException("invalid field key " + key);
            }
        }
        if (n.Target.Length == 0)
            throw new FlagValueException("network name/id is not specified");
        return n;
    }

    /// <summary>container.NetworkMode.IsUserDefined: not default, bridge, host, none or container:ID.</summary>
    public static bool IsUserDefined(string mode) =>
        mode is not ("default" or "bridge" or "host" or "none") && !mode.StartsWith("container:", StringComparison.Ordinal);

    // Go's \w is ASCII only; the pattern is not anchored, as in docker.
    [GeneratedRegex("[0-9A-Za-z_]+=[0-9A-Za-z_]+(,[0-9A-Za-z_]+=[0-9A-Za-z_]+)*")]
    private static partial Regex LongSyntax();
}
