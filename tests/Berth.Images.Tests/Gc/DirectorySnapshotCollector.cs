using Berth.Images.Gc;
using Berth.Images.Metadata;

namespace Berth.Images.Tests.Gc;

/// <summary>
/// A stand-in for a snapshotter's directories, following the protocol a real one must: the directory
/// snapshots/&lt;id&gt; is made inside the transaction that inserts the row (so it exists whenever the row
/// does), and removed only by <see cref="Cleanup"/>, after the collector's transaction committed.
/// Also compiled into the crash helper.
/// </summary>
public sealed class DirectorySnapshotCollector(string directory, string snapshotter = "test") : ISnapshotCollector
{
    public string Snapshotter => snapshotter;

    public string Directory => directory;

    public string PathOf(long id) => Path.Combine(directory, id.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Makes the directory of a row being inserted. One already there is debris of a crash that
    /// rolled back the row that last had this id (SQLite hands the id out again then): start clean.</summary>
    public void Create(long id, int bytes = 100)
    {
        string path = PathOf(id);
        if (System.IO.Directory.Exists(path))
            System.IO.Directory.Delete(path, recursive: true);
        System.IO.Directory.CreateDirectory(path);
        File.WriteAllBytes(Path.Combine(path, "layer"), new byte[bytes]);
    }

    /// <summary>Ids that have a directory.</summary>
    public IEnumerable<long> Existing()
        => System.IO.Directory.Exists(directory)
            ? System.IO.Directory.EnumerateDirectories(directory).Select(d => long.TryParse(Path.GetFileName(d), out long id) ? id : -1)
            : [];

    public long Cleanup(IReadOnlyList<SnapshotRecord> removed, IReadOnlySet<long> recorded)
    {
        long bytes = 0;
        if (!System.IO.Directory.Exists(directory))
            return 0;
        foreach (string path in System.IO.Directory.EnumerateDirectories(directory).ToList())
        {
            if (long.TryParse(Path.GetFileName(path), out long id) && recorded.Contains(id))
                continue;
            bytes += new DirectoryInfo(path).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
            System.IO.Directory.Delete(path, recursive: true);
        }
        return bytes;
    }
}
