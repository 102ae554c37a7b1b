using Berth.Images.Layers;
using Berth.Linux;

namespace Berth.Images.Copy;

/// <summary>
/// The tar of one file or directory tree that <c>docker cp</c> moves (go-archive's TarResourceRebase, as the daemon's
/// GET /containers/{id}/archive and the command line's upload make it): the resource itself first, under the name
/// the copy wants, then, for a directory, everything below it under that name. Entries are written as Docker's
/// tarAppender writes them (<see cref="LayerWriter"/>'s conventions: whole-second mtimes, security.capability as the
/// only xattr, hard links to the first name of an inode); sockets are left out. Nothing is followed: the resource is
/// taken as it is below an open directory, and the walk opens every level with O_NOFOLLOW.
/// </summary>
public static class ResourceWriter
{
    /// <summary>
    /// Writes the resource <paramref name="name"/> of the directory <paramref name="dirFd"/> ("." for the directory
    /// itself) as entries named <paramref name="entryName"/>, <paramref name="entryName"/>/child, ...; an entry name of
    /// "/" (the container's root) gives "/", "/child", as Docker does.
    /// </summary>
    public static void Write(int dirFd, ReadOnlySpan<byte> name, ReadOnlySpan<byte> entryName, Stream output)
    {
        int errno = FilesAt.Stat(dirFd, name, followSymlinks: false, out var stat);
        if (errno != 0)
            throw new StoreException(errno == Errno.ENOENT ? StoreErrorKind.NotFound : StoreErrorKind.Internal,
                $"lstat {TarPath.Show(name)}: {LinuxException.Describe(errno)}");
        var options = new LayerWriteOptions { Xattrs = XattrPolicy.CapabilityOnly };
        using var writer = new TarWriter(output);
        using (var appender = new TarAppender(writer, options, convertOverlayWhiteouts: false))
        {
            // The root's own entry is "" (written "/", as a directory); what is below it is "/child".
            var own = entryName.SequenceEqual("/"u8) ? default : entryName;
            if (!stat.IsDirectory)
                appender.Add(new WalkEntry(dirFd, name, own, stat, -1));
            else
            {
                int self = FilesAt.Open(dirFd, name, OpenFlags.ReadOnly | OpenFlags.Directory | OpenFlags.NoFollow);
                if (self < 0)
                    throw new StoreException(StoreErrorKind.Internal, $"open {TarPath.Show(name)}: {LinuxException.Describe(-self)}");
                try
                {
                    appender.Add(new WalkEntry(dirFd, name, own, stat, self));
                    TreeWalker.Walk(self, (in WalkEntry entry) => appender.Add(entry), entryName);
                }
                finally
                {
                    FilesAt.Close(self);
                }
            }
        }
        writer.Finish();
    }
}
