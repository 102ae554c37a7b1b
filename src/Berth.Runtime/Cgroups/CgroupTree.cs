using Berth.Linux;
using Berth.Linux.Cgroups;

namespace Berth.Runtime.Cgroups;

/// <summary>
/// Making a container's cgroup directory (and missing parents) in one hierarchy while recording
/// what was made, and removing exactly that again.
/// </summary>
internal static class CgroupTree
{
    /// <summary>How long removal waits for the processes of a container cgroup to finish exiting.</summary>
    public static readonly TimeSpan RemoveWait = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Makes <paramref name="leaf"/> and its missing parents below <paramref name="root"/> (the
    /// hierarchy's mount point), appending each directory made to <paramref name="created"/>,
    /// parents first. An existing container directory is refused: it is not Berth's to take over.
    /// A parent that vanishes meanwhile (another container's delete removing a shared, empty
    /// "berth") is made again.
    /// </summary>
    public static void Make(string root, string leaf, List<string> created)
    {
        root = root.TrimEnd('/');
        if (!leaf.StartsWith(root + "/", StringComparison.Ordinal))
            throw new RuntimeError(ErrorKind.Internal, $"cgroup {leaf} is not below its hierarchy's mount point {root}");
        var parts = leaf[(root.Length + 1)..].Split('/');
        for (int attempt = 0; ; attempt++)
        {
            string dir = root;
            bool again = false;
            for (int i = 0; i < parts.Length && !again; i++)
            {
                dir += "/" + parts[i];
                int errno = CgroupDirectories.TryMake(dir);
                if (errno == 0)
                {
                    if (!created.Contains(dir))
                        created.Add(dir);
                }
                else if (errno == Errno.EEXIST && i == parts.Length - 1 && !created.Contains(dir))
                    throw new RuntimeError(ErrorKind.AlreadyExists, $"cgroup {dir} already exists; berth-runtime uses only cgroups it creates (remove it, or choose another linux.cgroupsPath)");
                else if (errno == Errno.ENOENT && attempt < 5)
                    again = true;
                else if (errno != Errno.EEXIST)
                    throw CgroupErrors.From(new LinuxException(errno, $"create cgroup {dir}"));
            }
            if (!again)
                return;
        }
    }

    /// <summary>
    /// Removes the directories in <paramref name="created"/>, deepest first. A container directory
    /// (one of <paramref name="containerDirs"/>) goes with every cgroup below it, waiting up to
    /// <see cref="RemoveWait"/> for exiting processes; a parent only while it has no child cgroup
    /// (it may hold other containers). What is removed, or already gone, leaves the list.
    /// </summary>
    public static void Remove(List<string> created, ICollection<string> containerDirs)
    {
        RuntimeError? first = null;
        for (int i = created.Count - 1; i >= 0; i--)
        {
            string dir = created[i];
            try
            {
                if (containerDirs.Contains(dir))
                    CgroupDirectories.RemoveTree(dir, RemoveWait);
                else if (Directory.Exists(dir) && CgroupDirectories.Children(dir).Count > 0)
                    continue;
                else
                {
                    int errno = CgroupDirectories.TryRemove(dir);
                    if (errno is Errno.EBUSY or Errno.ENOTEMPTY)
                        continue;
                    if (errno is not (0 or Errno.ENOENT))
                        throw new LinuxException(errno, $"remove cgroup {dir}");
                }
                created.RemoveAt(i);
            }
            catch (LinuxException e)
            {
                first ??= CgroupErrors.From(e, e.Errno == Errno.EBUSY ? "the container's processes have not all exited" : null);
            }
        }
        if (first is not null)
            throw first;
    }
}
