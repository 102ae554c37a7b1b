using System.Text;
using Berth.Build.Copy;
using Berth.Images;
using Berth.Linux;

namespace Berth.Build.Executor;

/// <summary>
/// The mount points a RUN's container gets made for its <c>--mount</c>s: a target the image lacks, and its missing
/// parents, are made by the runtime in the container's root and would be committed as empty files and directories
/// (an empty <c>/run/secrets</c>, a <c>/cache</c>). buildkit removes them after the step (executor.MountStubsCleaner):
/// found before the step, each removed after it if it is still empty, deepest first, its parent's times kept.
/// </summary>
public static class MountStubs
{
    /// <summary>
    /// The targets' paths that do not exist in <paramref name="root"/> (the container's root before its start),
    /// relative to it, deepest first for each target; the existing part of a target has its symlinks resolved inside
    /// the root, as the runtime resolves it when it makes the mount point.
    /// </summary>
    public static List<string> Find(string root, IEnumerable<string> targets)
    {
        var stubs = new List<string>();
        int fd = RootFiles.OpenDirectory(root);
        try
        {
            string rootPath = RootFiles.RealPath(fd, "") ?? root;
            foreach (string target in targets)
            {
                string[] parts = GoPath.Clean("/" + target).Split('/', StringSplitOptions.RemoveEmptyEntries);
                // The longest prefix that exists; what follows it is made for the mount.
                int existing = parts.Length;
                string? real = null;
                for (; existing > 0; existing--)
                {
                    if ((real = RootFiles.RealPath(fd, string.Join('/', parts, 0, existing))) is not null)
                        break;
                }
                if (existing == parts.Length)
                    continue;
                string baseRelative = real is null ? "" : Path.GetRelativePath(rootPath, real);
                if (baseRelative == ".")
                    baseRelative = "";
                if (baseRelative.StartsWith("..", StringComparison.Ordinal))
                    continue; // not inside the root: nothing of ours to clean
                for (int end = parts.Length; end > existing; end--)
                {
                    string tail = string.Join('/', parts, existing, end - existing);
                    stubs.Add(baseRelative.Length == 0 ? tail : baseRelative + "/" + tail);
                }
            }
        }
        finally
        {
            FilesAt.Close(fd);
        }
        return stubs;
    }

    /// <summary>
    /// Removes the stubs from <paramref name="layer"/> (the container's own layer after the step: whatever the step
    /// made is there), each only if it is an empty directory or an empty regular file; the parent's times are put
    /// back after each removal (buildkit's reproducible-build fix, moby/buildkit#3148).
    /// </summary>
    public static void Remove(string layer, IReadOnlyList<string> stubs)
    {
        if (stubs.Count == 0)
            return;
        int fd = RootFiles.OpenDirectory(layer);
        try
        {
            foreach (string stub in stubs)
                RemoveOne(fd, stub);
        }
        finally
        {
            FilesAt.Close(fd);
        }
    }

    static void RemoveOne(int layerFd, string stub)
    {
        string parent = GoPath.Dir(stub);
        byte[] name = Encoding.UTF8.GetBytes(GoPath.Base(stub));
        // The parent opened without following symlinks out of the layer: a stub's parent is a directory we found.
        int dir = RootFiles.Open(layerFd, parent == "." ? "" : parent, OpenFlags.ReadOnly | OpenFlags.Directory | OpenFlags.NoFollow);
        if (dir < 0)
            return;
        try
        {
            if (FilesAt.Stat(dir, name, followSymlinks: false, out var stat) != 0)
                return;
            if (!(stat.IsDirectory || (stat.IsRegularFile && stat.Size == 0)))
                return;
            if (FilesAt.Stat(dir, out var parentStat) != 0)
                return;
            // A directory that is not empty fails with ENOTEMPTY and stays, as buildkit leaves it.
            if (FilesAt.Unlink(dir, name, stat.IsDirectory) != 0)
                return;
            FilesAt.SetTimes(dir, new FileTimes(parentStat.AtimeSeconds, parentStat.AtimeNanoseconds, parentStat.MtimeSeconds, parentStat.MtimeNanoseconds));
        }
        finally
        {
            FilesAt.Close(dir);
        }
    }
}
