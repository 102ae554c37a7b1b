using System.Text;
using Berth.Engine.Model;
using Berth.Images;
using Berth.Images.Copy;
using Berth.Linux;

namespace Berth.Engine.Archive;

/// <summary>
/// What GET /containers/{id}/archive sends: the stat of the path, then its tar (go-archive's TarResourceRebase from
/// the container's root: a directory with everything below it, anything else alone, named by the path's last
/// element). It holds the container's root, and whatever the engine made it hold (the container's lock), until
/// disposed: the tar is read from the file system while it is sent.
/// </summary>
public sealed class ContainerArchive(ContainerRoot root, string absPath, ContainerPathStat stat, IDisposable? hold) : IDisposable
{
    public ContainerPathStat Stat { get; } = stat;

    /// <summary>Writes the tar to <paramref name="output"/> (synchronously: it is file system work).</summary>
    public void WriteTo(Stream output)
    {
        string entryName = GoPath.Base(absPath);
        // A directory (or a symlink to one, named with a trailing "/"): the tree below it, itself included.
        // Anything else is taken from its parent, so that a symlink is archived as the symlink.
        var (directory, name) = GoFileMode.IsDir(Stat.Mode) ? (absPath, ".") : GoPath.Split(absPath);
        int fd = root.Open(directory, OpenFlags.ReadOnly | OpenFlags.Directory);
        if (fd < 0)
            throw new LinuxException(-fd, $"open {directory}");
        try
        {
            ResourceWriter.Write(fd, Encoding.UTF8.GetBytes(name), Encoding.UTF8.GetBytes(entryName), output);
        }
        finally
        {
            FilesAt.Close(fd);
        }
    }

    public void Dispose()
    {
        root.Dispose();
        hold?.Dispose();
    }
}
