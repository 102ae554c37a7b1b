using Berth.Linux;

namespace Berth.Engine.Volumes;

/// <summary>
/// Docker's copy-up: what the image has at a volume's mount point, copied into the new, empty volume with owners,
/// modes, times and symlinks kept, and the volume's own directory given the owner and mode of the image's
/// (moby daemon/volumes_unix.go copyExistingContents and copyOwnership).
/// </summary>
public static class VolumeCopyUp
{
    /// <param name="root">The container's root file system, mounted.</param>
    /// <param name="destination">The mount point, a clean absolute path in the container.</param>
    /// <param name="volume">The volume's data directory (empty).</param>
    public static void Copy(string root, string destination, string volume)
    {
        if (Resolve(root, destination) is not { } source)
            return;
        var status = FileStatus.Of(source, followSymlinks: false);
        if (!status.IsDirectory)
            return;
        CopyChildren(source, volume);
        CopyAttributes(source, volume, status);
    }

    /// <summary>
    /// The path of <paramref name="destination"/> inside <paramref name="root"/>, or null when it does not exist
    /// there or goes through a symlink (which could lead out of the root: nothing is copied then).
    /// </summary>
    static string? Resolve(string root, string destination)
    {
        string path = root;
        foreach (string part in destination.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            path = Path.Combine(path, part);
            FileStatus status;
            try
            {
                status = FileStatus.Of(path, followSymlinks: false);
            }
            catch (LinuxException)
            {
                return null;
            }
            if (status.IsSymlink)
                return null;
        }
        return path;
    }

    static void CopyChildren(string source, string target)
    {
        foreach (string entry in Directory.EnumerateFileSystemEntries(source))
        {
            string to = Path.Combine(target, Path.GetFileName(entry));
            var status = FileStatus.Of(entry, followSymlinks: false);
            if (status.IsSymlink)
            {
                File.CreateSymbolicLink(to, new FileInfo(entry).LinkTarget!);
                Files.Chown(to, status.Uid, status.Gid, followSymlinks: false);
                continue;
            }
            if (status.IsDirectory)
            {
                Directory.CreateDirectory(to);
                CopyChildren(entry, to);
            }
            else if (status.IsRegularFile)
            {
                File.Copy(entry, to);
            }
            else if (status.Type is Files.S_IFCHR or Files.S_IFBLK or Files.S_IFIFO)
            {
                Files.MakeNode(to, status.Mode, status.RdevMajor, status.RdevMinor);
            }
            else
            {
                continue;
            }
            CopyAttributes(entry, to, status);
        }
    }

    /// <summary>Owner before mode (chown clears set-id bits), times last.</summary>
    static void CopyAttributes(string from, string to, FileStatus status)
    {
        Files.Chown(to, status.Uid, status.Gid, followSymlinks: false);
        File.SetUnixFileMode(to, (UnixFileMode)status.Permissions);
        var info = new FileInfo(from);
        if (status.IsDirectory)
            Directory.SetLastWriteTimeUtc(to, Directory.GetLastWriteTimeUtc(from));
        else
            File.SetLastWriteTimeUtc(to, info.LastWriteTimeUtc);
    }
}
