using Berth.Engine.Model;
using Berth.Images;

namespace Berth.Engine.Archive;

/// <summary>
/// Docker's checkWritablePath: an extraction may write into a read-write volume or bind mount, or else into the
/// container's own file system unless its root is read-only. Decided from the container's configuration, before
/// anything is written, with Docker's words for a refusal.
/// </summary>
public static class WritablePaths
{
    /// <param name="absPath">Where the extraction goes, symlinks resolved, as a path in the container.</param>
    public static void Check(HostConfig host, string absPath)
    {
        // The innermost mount holding the path decides (Docker takes whichever its map yields first).
        ContainerBind? holder = null;
        foreach (var bind in ContainerBinds.Of(host))
        {
            if (Holds(bind.Target, absPath) && (holder is null || bind.Target.Length > holder.Target.Length))
                holder = bind;
        }
        if (holder is { } m)
        {
            if (m.ReadOnly)
                throw EngineException.Invalid("mounted volume is marked read-only");
            return;
        }
        if (host.ReadonlyRootfs)
            throw EngineException.Invalid("container rootfs is marked read-only");
    }

    /// <summary>Whether <paramref name="path"/> is <paramref name="target"/> or below it (filepath.Rel without "..").</summary>
    static bool Holds(string target, string path)
    {
        string t = GoPath.Clean(target);
        return t == "/" || path == t || path.StartsWith(t + "/", StringComparison.Ordinal);
    }
}
