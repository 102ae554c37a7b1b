using System.Globalization;
using Berth.Build.Context;
using Berth.Build.Copy;
using Berth.Build.Dockerfile;
using Berth.Images;
using Berth.Images.Store;
using Berth.Oci.Image;

namespace Berth.Build.Executor;

/// <summary>
/// RUN <c>--mount</c>s as host mounts: <c>type=cache</c> a directory the builder keeps between builds (by id, default
/// the target), <c>type=bind</c> a context path (read-only unless <c>rw</c>), <c>type=tmpfs</c> a tmpfs,
/// <c>type=bind,from=</c> a path of a stage's or an image's file system (a read-only view of it for the step),
/// <c>type=secret</c> with <c>required=false</c> nothing (the legacy API carries no secrets). Options buildkit
/// knows that mean nothing here are accepted; unknown types are refused. A bind's source is resolved inside the
/// context (a symlink cannot lead the mount out of it), and a writable one is a copy whose writes are discarded
/// with it after the step, as buildkit's: the context itself is never written (berthd keeps it for the next build).
/// </summary>
internal static class RunMounts
{
    /// <summary>
    /// A step's mount; for a bind of the context the path it binds, relative to the context; for a bind from a stage
    /// or an image (<c>from=</c>), that image (null: a stage with no file system) and the path in it.
    /// </summary>
    internal sealed record Resolved(RunStepMount Mount, string? ContextPath, (Image? Image, string Path)? From = null);

    /// <summary>The stage or image a bind mount's <c>from=</c> names; null when it names none.</summary>
    public static string? BindFrom(RunMount mount) => mount.Type == "bind" && Option(mount, "from") is { Length: > 0 } from ? from : null;

    /// <param name="fromImages">The images of the binds' <c>from=</c> (<see cref="BindFrom"/>), by name.</param>
    public static IReadOnlyList<Resolved> Resolve(IReadOnlyList<RunMount> mounts, BuildContext context, string cacheDirectory, IReadOnlyDictionary<string, Image?> fromImages)
    {
        var result = new List<Resolved>();
        foreach (var mount in mounts)
        {
            string? target = Option(mount, "target", "dst", "destination");
            switch (mount.Type)
            {
                case "cache":
                    if (target is null)
                        throw new BuildException("mount type cache requires a target");
                    string id = Option(mount, "id") ?? target;
                    string directory = Path.Combine(cacheDirectory, "mounts", BuildCache.Key("cache-mount", id));
                    Directory.CreateDirectory(directory);
                    result.Add(new(new RunStepMount("bind", directory, target, IsTrue(Option(mount, "readonly", "ro"))), null));
                    break;
                case "bind":
                    if (target is null)
                        throw new BuildException("mount type bind requires a target");
                    string source = GoPath.Clean("/" + (Option(mount, "source", "src") ?? "/")).TrimStart('/');
                    bool readOnly = !IsTrue(Option(mount, "rw", "readwrite"));
                    if (BindFrom(mount) is { } from)
                    {
                        result.Add(new(new RunStepMount("bind", null, target, readOnly), null, (fromImages[from], source)));
                        break;
                    }
                    string? host = RealPath(context.Root, source);
                    if (host is null)
                        throw new BuildException($"RUN --mount=type=bind: source {GoQuote.Quote(source)} is not in the build context");
                    result.Add(new(new RunStepMount("bind", host, target, readOnly), source));
                    break;
                case "tmpfs":
                    if (target is null)
                        throw new BuildException("mount type tmpfs requires a target");
                    long size = Option(mount, "size") is { } text && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long bytes) ? bytes : 0;
                    result.Add(new(new RunStepMount("tmpfs", null, target, false, size), null));
                    break;
                case "secret":
                    if (IsTrue(Option(mount, "required")))
                        throw new BuildException($"secret {Option(mount, "id") ?? target}: not provided (the legacy build API carries no secrets)");
                    break;
                default:
                    throw new BuildException($"RUN --mount: type {mount.Type} is not supported");
            }
        }
        return result;
    }

    /// <summary>What of the mounts decides the step's result: their kinds and targets, and the checksum of bound context paths.</summary>
    public static string Key(IReadOnlyList<Resolved> mounts, BuildContext context)
    {
        var parts = new List<string?>();
        foreach (var (mount, contextPath, from) in mounts)
        {
            parts.Add($"{mount.Type} {mount.Target} {mount.ReadOnly} {mount.TmpfsSize}");
            // An image never changes: its ID and the path say all of what a bind from it gives.
            if (from is (var image, var path))
                parts.Add($"from {image?.Id.ToString() ?? "scratch"} {path}");
            if (contextPath is not null)
                parts.Add(ContextCopier.Checksum(context.Root, new CopyOptions { Sources = [contextPath.Length == 0 ? "." : contextPath], Destination = "/" }, context));
        }
        return BuildCache.Key([.. parts]);
    }

    /// <summary>
    /// The mounts to run the step with: a bind from an image made from a read-only view of it, a writable bind
    /// replaced by a copy of what it binds (made in <paramref name="scratch"/>). What must go after the step (views,
    /// copies) is added to <paramref name="cleanups"/>, also when this fails.
    /// </summary>
    public static List<RunStepMount> ForStep(IReadOnlyList<Resolved> mounts, BuildContext context, ImageStore images, string scratch, List<Action> cleanups)
    {
        var result = new List<RunStepMount>(mounts.Count);
        foreach (var (resolved, contextPath, from) in mounts)
        {
            var mount = resolved;
            string root = context.Root;
            string? path = contextPath;
            if (from is (var image, var fromPath))
            {
                var view = images.MountImage(image);
                cleanups.Add(view.Dispose);
                root = view.Path;
                path = fromPath;
                mount = mount with { Source = RealPath(root, fromPath) ?? throw new BuildException($"RUN --mount=type=bind: source {GoQuote.Quote(fromPath)} is not in the image it is mounted from") };
            }
            if (path is null || mount.ReadOnly)
            {
                result.Add(mount);
                continue;
            }
            string copy = Path.Combine(scratch, "bind-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(copy);
            cleanups.Add(() => BuildContext.RemoveTree(copy));
            // COPY src/ / puts a directory's content in the copy, a file under its own name.
            string source = path.Length == 0 ? "." : path;
            ContextCopier.Copy(root, copy, new CopyOptions { Sources = [source], Destination = "/", FromContext = from is null }, from is null ? context : null);
            bool directory = Directory.Exists(mount.Source);
            result.Add(mount with { Source = directory ? copy : Path.Combine(copy, GoPath.Base(source)) });
        }
        return result;
    }

    /// <summary>The host path of a path inside <paramref name="root"/>, its symlinks resolved in that root; null when missing.</summary>
    static string? RealPath(string root, string path)
    {
        int fd = RootFiles.OpenDirectory(root);
        try
        {
            return RootFiles.RealPath(fd, path);
        }
        finally
        {
            Linux.FilesAt.Close(fd);
        }
    }

    static string? Option(RunMount mount, params string[] names)
    {
        foreach (string name in names)
        {
            if (mount.Options.TryGetValue(name, out string? value))
                return value;
        }
        return null;
    }

    // A flag given without a value ("ro") means true, as in buildkit.
    static bool IsTrue(string? value) => value is not null && (value.Length == 0 || value.Equals("true", StringComparison.OrdinalIgnoreCase) || value == "1");
}
