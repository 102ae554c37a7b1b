using System.Text.Json;
using Berth.Linux;

namespace Berth.Engine.Volumes;

/// <summary>
/// Local volumes on disk: volumes/&lt;name&gt;/_data holds the data, volumes/&lt;name&gt;/volume.json what was
/// asked for. A volume appears whole or not at all: it is made under a temporary name (one no volume can have) and
/// renamed into place; removal renames it away first. Leftovers of either are cleared when the store opens.
/// Not thread-safe: <see cref="VolumeService"/> serialises the calls.
/// </summary>
public sealed class VolumeStore
{
    const string MetadataFile = "volume.json";
    const string NewPrefix = ".new-";
    const string GonePrefix = ".gone-";

    readonly Dictionary<string, VolumeRecord> _volumes = new(StringComparer.Ordinal);

    public VolumeStore(string directory, Action<string> log)
    {
        Directory = directory;
        System.IO.Directory.CreateDirectory(directory);
        foreach (string path in System.IO.Directory.EnumerateDirectories(directory))
        {
            string name = Path.GetFileName(path);
            if (name.StartsWith(NewPrefix, StringComparison.Ordinal) || name.StartsWith(GonePrefix, StringComparison.Ordinal))
            {
                DeleteTree(path, log);
                continue;
            }
            try
            {
                var record = JsonSerializer.Deserialize(File.ReadAllBytes(Path.Combine(path, MetadataFile)), VolumeJson.Default.VolumeRecord);
                if (record is not null && record.Name == name)
                    _volumes[name] = record;
            }
            catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
            {
                log($"volume {name}: skipped, its metadata cannot be read: {e.Message}");
            }
        }
    }

    public string Directory { get; }

    public IReadOnlyCollection<VolumeRecord> All => _volumes.Values;

    public VolumeRecord? TryGet(string name) => _volumes.GetValueOrDefault(name);

    /// <summary>Where the volume's data is (Docker's Mountpoint).</summary>
    public string DataPath(string name) => Path.Combine(Directory, name, "_data");

    /// <summary>Makes the volume's directory and metadata, atomically; the name is unused and valid.</summary>
    public void Add(VolumeRecord record)
    {
        string staging = Path.Combine(Directory, NewPrefix + VolumeNames.NewAnonymous()[..16]);
        try
        {
            System.IO.Directory.CreateDirectory(Path.Combine(staging, "_data"));
            File.WriteAllBytes(Path.Combine(staging, MetadataFile), JsonSerializer.SerializeToUtf8Bytes(record, VolumeJson.Default.VolumeRecord));
            int errno = Files.TryRenameNoReplace(staging, Path.Combine(Directory, record.Name));
            if (errno != 0)
                throw EngineException.System($"create {record.Name}: rename into {Directory}: errno {errno}");
        }
        catch
        {
            DeleteTree(staging, _ => { });
            throw;
        }
        _volumes[record.Name] = record;
    }

    /// <summary>Removes the volume's directory (its data included); the caller has unmounted whatever was on it.</summary>
    public void Remove(string name, Action<string> log)
    {
        string path = Path.Combine(Directory, name);
        string gone = Path.Combine(Directory, GonePrefix + VolumeNames.NewAnonymous()[..16]);
        if (System.IO.Directory.Exists(path))
            System.IO.Directory.Move(path, gone);
        _volumes.Remove(name);
        DeleteTree(gone, log);
    }

    static void DeleteTree(string path, Action<string> log)
    {
        try
        {
            if (System.IO.Directory.Exists(path))
                System.IO.Directory.Delete(path, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Out of the store's sight already (renamed away); the next open retries.
            log($"removing {path}: {e.Message}");
        }
    }
}
