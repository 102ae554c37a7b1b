using Berth.Linux;

namespace Berth.Runtime.Init;

/// <summary>
/// tmpcopyup, runc's mount extension (Podman asks for it on the tmpfs it puts over /run, /tmp and
/// /var/tmp of a --read-only container, and on every --tmpfs): the tmpfs starts with a copy of the
/// directory it covers — files, directories, symlinks and nodes with their owners and modes.
/// </summary>
internal static class TmpfsCopyUp
{
    /// <summary>Copies the tree under <paramref name="from"/> into <paramref name="to"/>.</summary>
    /// <param name="from">The covered directory, as /proc/self/fd/N of a descriptor opened before
    /// the tmpfs was mounted over it: paths below it still reach the covered content.</param>
    public static void Copy(string from, string to)
    {
        foreach (string entry in Directory.EnumerateFileSystemEntries(from))
        {
            string target = Path.Combine(to, Path.GetFileName(entry));
            var status = FileStatus.Of(entry, followSymlinks: false);
            if (status.IsDirectory)
            {
                Directory.CreateDirectory(target);
                Copy(entry, target);
            }
            else if (status.IsRegularFile)
                File.Copy(entry, target);
            else if (status.IsSymlink)
                File.CreateSymbolicLink(target, new FileInfo(entry).LinkTarget ?? "");
            else
                Files.MakeNode(target, status.Mode, status.RdevMajor, status.RdevMinor);
            Files.Chown(target, status.Uid, status.Gid, followSymlinks: false);
            // After chown, which clears set-id bits; symlinks have no mode of their own.
            if (!status.IsSymlink)
                File.SetUnixFileMode(target, (UnixFileMode)status.Permissions);
        }
    }
}
