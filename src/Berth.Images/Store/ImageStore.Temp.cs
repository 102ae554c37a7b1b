using System.Globalization;
using Berth.Images.Snapshots;

namespace Berth.Images.Store;

public sealed partial class ImageStore
{
    /// <summary>
    /// A fresh directory &lt;root&gt;/tmp/&lt;what&gt;-&lt;pid&gt;-&lt;random&gt; for one operation's scratch files (an
    /// extracted archive, a mount point); the pid lets <see cref="RemoveStaleTemp"/> tell a dead process's.
    /// </summary>
    string TempDirectory(string what)
    {
        string path = Path.Combine(Root, "tmp", string.Create(CultureInfo.InvariantCulture, $"{what}-{Environment.ProcessId}-{Guid.NewGuid():N}"));
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Removes the scratch directories (and any mount on them) of processes that are gone: what a kill left.</summary>
    static void RemoveStaleTemp(string root)
    {
        string tmp = Path.Combine(root, "tmp");
        if (!Directory.Exists(tmp))
            return;
        foreach (string path in Directory.EnumerateDirectories(tmp))
        {
            var parts = Path.GetFileName(path).Split('-');
            if (parts.Length != 3 || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out int pid) || Directory.Exists($"/proc/{pid}"))
                continue;
            SnapshotMounts.Unmount(path);
            DiskUsage.RemoveTree(path);
        }
    }
}
