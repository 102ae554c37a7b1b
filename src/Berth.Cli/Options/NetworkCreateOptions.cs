using System.Text.Json.Nodes;
using Berth.Cli.Client;
using Berth.Cli.CommandLine;

namespace Berth.Cli.Options;

/// <summary>
/// The flags of "network create" (cli/command/network/create.go) and the body of POST /networks/create they make,
/// written as docker's client writes network.CreateRequest (Go field order, maps sorted, EnableIPv4/6 only when given).
/// </summary>
internal sealed class NetworkCreateOptions
{
    readonly FlagRef<bool> _attachable;
    readonly SortedDictionary<string, string> _aux = new(StringComparer.Ordinal);
    readonly FlagRef<string> _configFrom;
    readonly FlagRef<bool> _configOnly;
    readonly FlagRef<string> _driver;
    readonly FlagRef<List<string>> _gateways;
    readonly FlagRef<bool> _ingress;
    readonly FlagRef<bool> _internal;
    readonly FlagRef<List<string>> _ipRanges;
    readonly FlagRef<string> _ipamDriver;
    readonly SortedDictionary<string, string> _ipamOptions = new(StringComparer.Ordinal);
    readonly FlagRef<bool> _ipv4;
    readonly FlagRef<bool> _ipv6;
    readonly FlagRef<List<string>> _labels;
    readonly SortedDictionary<string, string> _options = new(StringComparer.Ordinal);
    readonly FlagRef<string> _scope;
    readonly FlagRef<List<string>> _subnets;

    public NetworkCreateOptions(FlagSet flags)
    {
        _attachable = flags.Bool("attachable", null, false, "Enable manual container attachment");
        MapFlag(flags, "aux-address", null, _aux, "Auxiliary IPv4 or IPv6 addresses used by Network driver");
        _configFrom = flags.String("config-from", null, "", "The network from which to copy the configuration");
        _configOnly = flags.Bool("config-only", null, false, "Create a configuration only network");
        _driver = flags.String("driver", 'd', "bridge", "Driver to manage the Network");
        _gateways = flags.StringSlice("gateway", null, "IPv4 or IPv6 Gateway for the master subnet");
        _ingress = flags.Bool("ingress", null, false, "Create swarm routing-mesh network");
        _internal = flags.Bool("internal", null, false, "Restrict external access to the network");
        _ipRanges = flags.StringSlice("ip-range", null, "Allocate container ip from a sub-range");
        _ipamDriver = flags.String("ipam-driver", null, "default", "IP Address Management Driver");
        MapFlag(flags, "ipam-opt", null, _ipamOptions, "Set IPAM driver specific options");
        _ipv4 = flags.Bool("ipv4", null, true, "Enable or disable IPv4 address assignment");
        _ipv6 = flags.Bool("ipv6", null, false, "Enable or disable IPv6 address assignment");
        _labels = flags.List("label", null, "Set metadata on a network", ValidateLabel);
        MapFlag(flags, "opt", 'o', _options, "Set driver specific options");
        _scope = flags.String("scope", null, "", "Control the network's scope");
        _subnets = flags.StringSlice("subnet", null, "Subnet in CIDR format that represents a network segment");
    }

    /// <summary>runCreate's request for the network <paramref name="name"/>; <see cref="CliException"/> for IPAM flags that do not fit.</summary>
    public JsonObject ToBody(string name)
    {
        var body = new JsonObject { ["Driver"] = _driver.Value, ["Scope"] = _scope.Value };
        if (_ipv4.Changed)
            body["EnableIPv4"] = _ipv4.Value;
        if (_ipv6.Changed)
            body["EnableIPv6"] = _ipv6.Value;
        body["IPAM"] = new JsonObject
        {
            ["Driver"] = _ipamDriver.Value,
            ["Options"] = Map(_ipamOptions),
            ["Config"] = NetworkIpam.Consolidate(_subnets.Value, _ipRanges.Value, _gateways.Value, _aux),
        };
        body["Internal"] = _internal.Value;
        body["Attachable"] = _attachable.Value;
        body["Ingress"] = _ingress.Value;
        body["ConfigOnly"] = _configOnly.Value;
        body["ConfigFrom"] = _configFrom.Value.Length > 0 ? new JsonObject { ["Network"] = _configFrom.Value } : null;
        body["Options"] = Map(_options);
        var labels = new SortedDictionary<string, string>(KeyValueOptions.ToMap(_labels.Value), StringComparer.Ordinal);
        body["Labels"] = Map(labels);
        body["Name"] = name;
        return body;
    }

    /// <summary>opts.ValidateLabel: a label needs a name before its "=".</summary>
    static string ValidateLabel(string value)
    {
        int eq = value.IndexOf('=');
        if ((eq < 0 ? value : value[..eq]).Trim().Length == 0)
            throw new FlagValueException($"invalid label '{value}': empty name");
        return value;
    }

    /// <summary>opts.MapOpts ("map"): "key=value", a bare key maps to "", the last use of a key wins.</summary>
    static void MapFlag(FlagSet flags, string name, char? shorthand, SortedDictionary<string, string> values, string usage) =>
        flags.Custom(name, shorthand, "map", v =>
        {
            int eq = v.IndexOf('=');
            values[eq < 0 ? v : v[..eq]] = eq < 0 ? "" : v[(eq + 1)..];
        }, usage, "map[]");

    static JsonObject Map(IEnumerable<KeyValuePair<string, string>> values)
    {
        var o = new JsonObject();
        foreach (var (k, v) in values)
            o[k] = v;
        return o;
    }
}
