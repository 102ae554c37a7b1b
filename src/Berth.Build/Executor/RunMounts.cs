using System.Globalization;
using Berth.Build.Context;
using Berth.Build.Copy;
using Berth.Build.Dockerfile;
using Berth.Images;
using Berth.Oci.Image;

namespace Berth.Build.Executor;

/// <summary>
/// RUN <c>--mount</c>s as host mounts: <c>type=cache</c> a directory the builder keeps between builds (by id, default
/// the target), <c>type=bind</c> a context path (read-only unless <c>rw</c>), <c>type=tmpfs</c> a tmpfs,
/// <c>type=secret</c> with <c>required=false</c> nothing (the legacy API carries no secrets). Options buildkit
/// knows that mean nothing here are accepted; unknown types are refused. A bind's source is resolved inside the
/// context (a symlink cannot lead the mount out of it), and a writable one is a copy whose writes are discarded
/// with it after the step, as buildkit's: the context itself is never written (berthd keeps it for the next build).
/// </summary>
internal static class RunMounts
{
    /// <summary>A step's mount, and for a bind of the context the path it binds, relative to the context.</summary>
    internal sealed record Resolved(RunStepMount Mount, string? ContextPath);

    public static IReadOnlyList<Resolved> Resolve(IReadOnlyList<RunMount> mounts, BuildContext context, string cacheDirectory)
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
                    if (Option(mount, "from") is { Length: > 0 } from)
                        throw new BuildException($"RUN --mount=type=bind,from={from}: binds from another stage or image are not supported; COPY --from the files instead");
                    string source = GoPath.Clean("/" + (Option(mount, "source", "src") ?? "/")).TrimStart('/');
                    int root = RootFiles.OpenDirectory(context.Root);
                    string? host;
                    try
                    {
                        host = RootFiles.RealPath(root, source);
                    }
                    finally
                    {
                        Linux.FilesAt.Close(root);
                    }
                    if (host is null)
                        throw new BuildException($"RUN --mount=type=bind: source {GoQuote.Quote(source)} is not in the build context");
                    result.Add(new(new RunStepMount("bind", host, target, !IsTrue(Option(mount, "rw", "readwrite"))), source));
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
        foreach (var (mount, contextPath) in mounts)
        {
            parts.Add($"{mount.Type} {mount.Target} {mount.ReadOnly} {mount.TmpfsSize}");
            if (contextPath is not null)
                parts.Add(ContextCopier.Checksum(context.Root, new CopyOptions { Sources = [contextPath.Length == 0 ? "." : contextPath], Destination = "/" }, context));
        }
        return BuildCache.Key([.. parts]);
    }

    /// <summary>
    /// The mounts to run the step with: a writable bind of the context replaced by a copy of what it binds, made in
    /// <paramref name="scratch"/> and named in <paramref name="copies"/> for the caller to remove after the step.
    /// </summary>
    public static List<RunStepMount> ForStep(IReadOnlyList<Resolved> mounts, BuildContext context, string scratch, List<string> copies)
    {
        var result = new List<RunStepMount>(mounts.Count);
        foreach (var (mount, contextPath) in mounts)
        {
            if (contextPath is null || mount.ReadOnly)
            {
                result.Add(mount);
                continue;
            }
            string copy = Path.Combine(scratch, "bind-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(copy);
            copies.Add(copy);
            // COPY src/ / puts a directory's content in the copy, a file under its own name.
            string source = contextPath.Length == 0 ? "." : contextPath;
            ContextCopier.Copy(context.Root, copy, new CopyOptions { Sources = [source], Destination = "/" }, context);
            bool directory = Directory.Exists(mount.Source);
            result.Add(mount with { Source = directory ? copy : Path.Combine(copy, GoPath.Base(source)) });
        }
        return result;
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
