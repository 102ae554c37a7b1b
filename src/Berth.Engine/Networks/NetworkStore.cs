using System.Security.Cryptography;
using System.Text.Json;
using Berth.Engine.Model;

namespace Berth.Engine.Networks;

/// <summary>
/// The networks the engine has, in memory and as networks/&lt;id&gt;.json (written by temp file and rename), with
/// Docker's lookup: full ID, then name, then a unique ID prefix.
/// </summary>
public sealed class NetworkStore
{
    readonly string _root;
    readonly Lock _lock = new();
    readonly Dictionary<string, Network> _byId = new(StringComparer.Ordinal);

    public NetworkStore(string root, Action<string>? log = null)
    {
        _root = root;
        Directory.CreateDirectory(root);
        foreach (string file in Directory.EnumerateFiles(root, "*.json"))
        {
            try
            {
                var network = JsonSerializer.Deserialize(File.ReadAllBytes(file), EngineJson.Default.Network) ?? throw new JsonException("null");
                _byId[network.Id] = network;
            }
            catch (Exception e) when (e is JsonException or IOException)
            {
                log?.Invoke($"network {Path.GetFileNameWithoutExtension(file)}: cannot read {file}: {e.Message}; skipped");
            }
        }
    }

    public static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    public IReadOnlyList<Network> All()
    {
        lock (_lock)
            return [.. _byId.Values.OrderBy(n => n.Created)];
    }

    public Network Get(string nameOrId) => TryGet(nameOrId) ?? throw EngineException.NotFound($"network {nameOrId} not found");

    public Network? TryGet(string nameOrId)
    {
        if (string.IsNullOrEmpty(nameOrId))
            return null;
        lock (_lock)
        {
            if (_byId.TryGetValue(nameOrId, out var byId))
                return byId;
            foreach (var n in _byId.Values)
            {
                if (n.Name == nameOrId)
                    return n;
            }
            Network? found = null;
            foreach (var n in _byId.Values)
            {
                if (!n.Id.StartsWith(nameOrId, StringComparison.Ordinal))
                    continue;
                if (found is not null)
                    throw EngineException.Invalid($"network {nameOrId} is ambiguous (2 matches found based on ID prefix)");
                found = n;
            }
            return found;
        }
    }

    public bool NameTaken(string name)
    {
        lock (_lock)
            return _byId.Values.Any(n => n.Name == name);
    }

    /// <summary>Writes the network's record and makes it visible.</summary>
    public void Save(Network network)
    {
        var stored = new Network
        {
            Name = network.Name, Id = network.Id, Created = network.Created, Scope = network.Scope, Driver = network.Driver,
            EnableIPv4 = network.EnableIPv4, EnableIPv6 = network.EnableIPv6, IPAM = network.IPAM, Internal = network.Internal,
            Attachable = network.Attachable, Ingress = network.Ingress, ConfigFrom = network.ConfigFrom, ConfigOnly = network.ConfigOnly,
            Options = network.Options, Labels = network.Labels,
        };
        string file = Path.Combine(_root, network.Id + ".json");
        string temp = file + ".tmp";
        File.WriteAllBytes(temp, JsonSerializer.SerializeToUtf8Bytes(stored, EngineJson.Default.Network));
        File.Move(temp, file, overwrite: true);
        lock (_lock)
            _byId[network.Id] = stored;
    }

    public void Remove(Network network)
    {
        lock (_lock)
            _byId.Remove(network.Id);
        File.Delete(Path.Combine(_root, network.Id + ".json"));
    }
}
