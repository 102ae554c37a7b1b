using System.Text;
using Berth.Images;
using Berth.Linux;

namespace Berth.Engine.Archive;

/// <summary>
/// Docker's FollowSymlinkInScope (moby/sys/symlink) with the container's "/" as the scope: the path with every
/// symlink on it replaced by its target, as far as the path exists; a missing component and what follows it are
/// kept as written. The answer is a path in the container (the <c>linkTarget</c> of a path stat, where an extraction
/// lands). Each component is looked at through the root's descriptor, never through a host path.
/// </summary>
public static class ScopedSymlinks
{
    const int MaxLinks = 255;

    public static string Evaluate(ContainerRoot root, string path)
    {
        string unparsed = GoPath.Clean("/" + path);
        var resolved = new StringBuilder(); // "a/b/" below the root: no symlinks in it (or missing components)
        int links = 0;
        Span<byte> target = stackalloc byte[4096];
        while (unparsed.Length > 0)
        {
            int slash = unparsed.IndexOf('/');
            string component = slash < 0 ? unparsed : unparsed[..slash];
            unparsed = slash < 0 ? "" : unparsed[(slash + 1)..];
            if (component.Length == 0)
                continue;
            string candidate = GoPath.Clean("/" + resolved + component);
            if (candidate == "/")
            {
                resolved.Clear();
                continue;
            }
            int fd = root.Open(candidate, OpenFlags.Path | OpenFlags.NoFollow);
            if (fd == -Errno.ENOENT)
            {
                resolved.Append(component).Append('/');
                continue;
            }
            if (fd < 0)
                throw new LinuxException(-fd, $"lstat {candidate}");
            try
            {
                int errno = FilesAt.Stat(fd, out var stat);
                if (errno != 0)
                    throw new LinuxException(errno, $"lstat {candidate}");
                if (!stat.IsSymlink)
                {
                    resolved.Append(component).Append('/');
                    continue;
                }
                if (++links > MaxLinks)
                    throw new LinuxException(Errno.ELOOP, $"evalSymlinksInScope: too many links in {path}");
                errno = FilesAt.ReadLink(fd, default, target, out int length);
                if (errno != 0)
                    throw new LinuxException(errno, $"readlink {candidate}");
                string destination = Encoding.UTF8.GetString(target[..length]);
                if (destination.StartsWith('/'))
                    resolved.Clear();
                unparsed = destination + "/" + unparsed;
            }
            finally
            {
                FilesAt.Close(fd);
            }
        }
        return GoPath.Clean("/" + resolved);
    }
}
