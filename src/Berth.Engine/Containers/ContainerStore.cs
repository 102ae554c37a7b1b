using System.Security.Cryptography;
using System.Text.Json;

namespace Berth.Engine.Containers;

/// <summary>
/// The containers the engine has, in memory and as containers/&lt;id&gt;/config.json: unique IDs
/// and names, and Docker's rules for finding one (full ID, name, then unique ID prefix).
/// </summary>
public sealed class ContainerStore
{
    const string ConfigFile = "config.json";

    readonly string _root;
    readonly Lock _lock = new();
    readonly Dictionary<string, Container> _byId = new(StringComparer.Ordinal);
    readonly Dictionary<string, string> _idByName = new(StringComparer.Ordinal);

    public ContainerStore(string root, Action<string>? log = null)
    {
        _root = root;
        Directory.CreateDirectory(root);
        foreach (string dir in Directory.EnumerateDirectories(root))
        {
            string file = System.IO.Path.Combine(dir, ConfigFile);
            if (!File.Exists(file))
            {
                // Created but never recorded (a crash between mkdir and the first save): nothing refers to it.
                TryDelete(dir);
                continue;
            }
            try
            {
                var record = JsonSerializer.Deserialize(File.ReadAllBytes(file), EngineJson.Default.ContainerRecord)
                    ?? throw new JsonException("null");
                var container = new Container(record, dir);
                _byId[record.Id] = container;
                _idByName[record.Name] = record.Id;
            }
            catch (Exception ex) when (ex is JsonException or IOException)
            {
                log?.Invoke($"container {System.IO.Path.GetFileName(dir)}: cannot read {file}: {ex.Message}; skipped");
            }
        }
    }

    public IReadOnlyList<Container> All()
    {
        lock (_lock)
            return [.. _byId.Values];
    }

    public int Count
    {
        get
        {
            lock (_lock)
                return _byId.Count;
        }
    }

    /// <summary>A new container with a fresh ID and the given (or a generated) name; its directory exists, nothing is saved yet.</summary>
    public Container Add(ContainerRecord record, string? name)
    {
        lock (_lock)
        {
            string id;
            do
                id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
            while (_byId.ContainsKey(id) || char.IsAsciiDigit(id[0]) && id[..12].All(char.IsAsciiDigit));
            record.Id = id;
            if (name is null)
            {
                for (int retry = 0; name is null || _idByName.ContainsKey(name); retry++)
                    name = "/" + ContainerNames.Generate(retry);
            }
            else
            {
                name = ContainerNames.Normalize(name);
                if (_idByName.TryGetValue(name, out string? holder))
                    throw EngineException.Conflict($"Conflict. The container name \"{name}\" is already in use by container \"{holder}\". You have to remove (or rename) that container to be able to reuse that name.");
            }
            record.Name = name;
            string dir = System.IO.Path.Combine(_root, id);
            Directory.CreateDirectory(dir);
            var container = new Container(record, dir);
            _byId[id] = container;
            _idByName[name] = id;
            return container;
        }
    }

    /// <summary>Writes the record (temp file and rename: a crash leaves the old or the new one).</summary>
    /// <param name="durable">
    /// Fsync before the rename, so that the record survives a power loss too. Without it the rename still makes the
    /// write atomic for a crash of berthd (kill -9 loses nothing the kernel has): enough for state that is
    /// rewritten often and matters little after a reboot (a health probe's result).
    /// </param>
    public void Save(Container container, bool durable = true)
    {
        string file = System.IO.Path.Combine(container.Directory, ConfigFile);
        string temp = file + ".tmp";
        byte[] bytes = JsonSerializer.SerializeToUtf8Bytes(container.Record, EngineJson.Default.ContainerRecord);
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write))
        {
            stream.Write(bytes);
            stream.Flush(flushToDisk: durable);
        }
        File.Move(temp, file, overwrite: true);
    }

    public void Remove(Container container)
    {
        lock (_lock)
        {
            _byId.Remove(container.Id);
            _idByName.Remove(container.Record.Name);
        }
        TryDelete(container.Directory);
    }

    public void Rename(Container container, string newName)
    {
        lock (_lock)
        {
            newName = ContainerNames.Normalize(newName);
            if (newName == container.Record.Name)
                throw EngineException.Invalid($"Renaming a container with the same name as its current name");
            if (_idByName.TryGetValue(newName, out string? holder))
                throw EngineException.Conflict($"Conflict. The container name \"{newName}\" is already in use by container \"{holder}\". You have to remove (or rename) that container to be able to reuse that name.");
            _idByName.Remove(container.Record.Name);
            _idByName[newName] = container.Id;
            container.Record.Name = newName;
        }
    }

    public Container Get(string nameOrId) => TryGet(nameOrId) ?? throw EngineException.NoSuchContainer(nameOrId);

    /// <summary>Docker's lookup: full ID, then exact name (with or without "/"), then a unique ID prefix.</summary>
    public Container? TryGet(string nameOrId)
    {
        if (string.IsNullOrEmpty(nameOrId))
            return null;
        lock (_lock)
        {
            if (_byId.TryGetValue(nameOrId, out var byId))
                return byId;
            string name = nameOrId.StartsWith('/') ? nameOrId : "/" + nameOrId;
            if (_idByName.TryGetValue(name, out string? id))
                return _byId[id];
            if (!nameOrId.All(char.IsAsciiHexDigitLower))
                return null;
            Container? found = null;
            foreach (var (key, container) in _byId)
            {
                if (!key.StartsWith(nameOrId, StringComparison.Ordinal))
                    continue;
                if (found is not null)
                    throw EngineException.Invalid($"Multiple IDs found with provided prefix: {nameOrId}");
                found = container;
            }
            return found;
        }
    }

    static void TryDelete(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
