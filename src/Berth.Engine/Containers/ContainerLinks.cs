using System.Globalization;

namespace Berth.Engine.Containers;

/// <summary>
/// Docker's legacy links on the default bridge (<c>--link name[:alias]</c>): the linked container's address in
/// /etc/hosts under the alias and its name, and its ports and environment as ALIAS_* variables.
/// </summary>
public static class ContainerLinks
{
    /// <summary>Docker's variables a link does not pass on.</summary>
    static readonly string[] Private = ["HOME", "HOSTNAME", "PATH"];

    public sealed record Resolved(IReadOnlyList<(string Address, string Names)> Hosts, IReadOnlyList<string> Environment);

    public static readonly Resolved None = new([], []);

    /// <summary>At create: "c1:db" becomes dockerd's "/c1:/me/db"; the linked container must exist.</summary>
    public static List<string>? Normalize(List<string>? links, ContainerStore store, string name)
    {
        if (links is not { Count: > 0 })
            return links;
        var normalized = new List<string>();
        foreach (string link in links)
        {
            var (target, alias) = Parse(link);
            var linked = store.TryGet(target) ?? throw EngineException.Invalid($"could not get container for {target}");
            normalized.Add($"{linked.Record.Name}:{name}/{alias}");
        }
        return normalized;
    }

    /// <summary>At start: each linked container must run, and has an address on the default bridge.</summary>
    public static Resolved Resolve(ContainerStore store, ContainerRecord record)
    {
        if (record.HostConfig.Links is not { Count: > 0 } links)
            return None;
        var hosts = new List<(string, string)>();
        var env = new List<string>();
        foreach (string link in links)
        {
            var (target, alias) = Parse(link);
            var linked = store.TryGet(target) ?? throw EngineException.Invalid($"could not get container for {target}");
            if (!linked.Record.State.Running)
                throw EngineException.Invalid($"Cannot link to a non running container: {linked.Record.Name} AS {record.Name}/{alias}");
            string address = linked.Record.Networks.GetValueOrDefault(Networks.NetworkService.DefaultBridge)?.IPAddress ?? "";
            if (address.Length == 0)
                throw EngineException.Invalid($"Cannot link to {linked.Record.Name}, as it does not belong to the default network");
            hosts.Add((address, $"{alias} {linked.Record.ShortId} {linked.Record.PlainName}"));
            env.AddRange(Variables(alias, record, linked.Record, address));
        }
        return new Resolved(hosts, env);
    }

    /// <summary>"/c1:/me/db" or "c1:db" or "c1" to the linked name and the alias.</summary>
    static (string Target, string Alias) Parse(string link)
    {
        int colon = link.IndexOf(':');
        string target = (colon < 0 ? link : link[..colon]).TrimStart('/');
        string alias = colon < 0 ? target : link[(colon + 1)..];
        alias = alias[(alias.LastIndexOf('/') + 1)..];
        if (target.Length == 0 || alias.Length == 0)
            throw EngineException.Invalid($"invalid link: {link}");
        return (target, alias);
    }

    /// <summary>dockerd's link variables: NAME, each exposed port (URL, address, port, protocol), the first as PORT, and ENV_*.</summary>
    static IEnumerable<string> Variables(string alias, ContainerRecord parent, ContainerRecord child, string address)
    {
        string prefix = alias.ToUpperInvariant().Replace('-', '_');
        yield return $"{prefix}_NAME={parent.Name}/{alias}";
        var ports = (child.Config.ExposedPorts ?? []).Keys
            .Select(p => p.Split('/'))
            .Select(p => (Port: int.Parse(p[0], CultureInfo.InvariantCulture), Proto: p.Length > 1 ? p[1] : "tcp"))
            .OrderBy(p => p.Port).ThenBy(p => p.Proto, StringComparer.Ordinal)
            .ToList();
        if (ports.Count > 0)
            yield return $"{prefix}_PORT={ports[0].Proto}://{address}:{ports[0].Port}";
        foreach (var (port, proto) in ports)
        {
            string name = $"{prefix}_PORT_{port}_{proto.ToUpperInvariant()}";
            yield return $"{name}={proto}://{address}:{port}";
            yield return $"{name}_ADDR={address}";
            yield return $"{name}_PORT={port}";
            yield return $"{name}_PROTO={proto}";
        }
        foreach (string e in child.Config.Env ?? [])
        {
            string key = ConfigMerge.KeyOf(e);
            if (!Private.Contains(key))
                yield return $"{prefix}_ENV_{e}";
        }
    }
}
