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
/// <c>type=secret</c> a build secret (<see cref="BuildOptions.Secrets"/>) as a read-only file from a tmpfs of the step's
/// (<see cref="SecretFiles"/>) or as an environment variable; a secret the build was not given is nothing, or an error
/// when <c>required</c>. Options buildkit knows that mean nothing here are accepted; unknown types are refused. A bind's source is resolved inside the
/// context (a symlink cannot lead the mount out of it), and a writable one is a copy whose writes are discarded
/// with it after the step, as buildkit's: the context itself is never written (berthd keeps it for the next build).
/// </summary>
internal static class RunMounts
{
    /// <summary>
    /// A step's mount; for a bind of the context the path it binds, relative to the context; for a bind from a stage
    /// or an image (<c>from=</c>), that image (null: a stage with no file system) and the path in it.
    /// </summary>
    internal sealed record Resolved(RunStepMount Mount, string? ContextPath, (Image? Image, string Path)? From = null, SecretMount? Secret = null);

    /// <summary>
    /// A <c>type=secret</c> mount as buildkit's dispatchSecret makes it: the secret's id, the file's target (null: only
    /// <see cref="Env"/>), the variable that gets the content, the file's mode and owner; <see cref="Content"/> is null
    /// when the build was not given the secret.
    /// </summary>
    internal sealed record SecretMount(string Id, string? Target, string? Env, uint Mode, uint Uid, uint Gid, bool Required, byte[]? Content);

    /// <summary>The stage or image a bind mount's <c>from=</c> names; null when it names none.</summary>
    public static string? BindFrom(RunMount mount) => mount.Type == "bind" && Option(mount, "from") is { Length: > 0 } from ? from : null;

    /// <param name="fromImages">The images of the binds' <c>from=</c> (<see cref="BindFrom"/>), by name.</param>
    /// <param name="secrets">The build's secrets by id (<see cref="BuildOptions.Secrets"/>).</param>
    public static IReadOnlyList<Resolved> Resolve(IReadOnlyList<RunMount> mounts, BuildContext context, string cacheDirectory, IReadOnlyDictionary<string, Image?> fromImages,
        IReadOnlyDictionary<string, byte[]> secrets)
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
                    var secret = Secret(mount, target, secrets);
                    result.Add(new(new RunStepMount("secret", null, secret.Target ?? "", true), null, Secret: secret));
                    break;
                default:
                    throw new BuildException($"RUN --mount: type {mount.Type} is not supported");
            }
        }
        return result;
    }

    /// <summary>
    /// buildkit's secret mount: the id is <c>id=</c> (<c>source=</c> wins), else the target's base name; the file is at
    /// the target, else at /run/secrets/&lt;id&gt; unless only <c>env=</c> is asked for; mode 0400 and root's unless given.
    /// A secret the build lacks is an error only when required, with buildkit's words.
    /// </summary>
    static SecretMount Secret(RunMount mount, string? target, IReadOnlyDictionary<string, byte[]> secrets)
    {
        string? id = Option(mount, "source", "src") is { Length: > 0 } source ? source : Option(mount, "id") is { Length: > 0 } given ? given : null;
        if (id is null)
        {
            if (target is null)
                throw new BuildException("one of source, target required");
            id = GoPath.Base(target);
        }
        string? env = Option(mount, "env");
        string? file = target ?? (env is null ? "/run/secrets/" + GoPath.Base(id) : null);
        uint mode = Number(mount, "mode", 8) ?? 0x100; // 0400
        uint uid = Number(mount, "uid", 10) ?? 0;
        uint gid = Number(mount, "gid", 10) ?? 0;
        bool required = IsTrue(Option(mount, "required"));
        byte[]? content = secrets.TryGetValue(id, out byte[]? value) ? value : null;
        if (content is null && required)
            throw new BuildException($"secret {id}: not found");
        if (content is not null && env is not null && content.AsSpan().Contains((byte)0))
            throw new BuildException($"secret {id}: a NUL byte cannot be in the environment variable {env}");
        return new SecretMount(id, file, env, mode, uid, gid, required, content);
    }

    /// <summary>A mode (octal) or an ID (decimal) as buildkit's strconv.ParseUint(v, base, 32); null when not given.</summary>
    static uint? Number(RunMount mount, string name, int radix)
    {
        if (Option(mount, name) is not { } text)
            return null;
        try
        {
            if (text.Length > 0 && text.All(c => c >= '0' && c < '0' + radix))
                return Convert.ToUInt32(text, radix);
        }
        catch (OverflowException)
        {
        }
        throw new BuildException($"invalid {name} {GoQuote.Quote(text)} of a secret mount");
    }

    /// <summary>
    /// What of the mounts decides the step's result: their kinds and targets, and the checksum of bound context paths.
    /// A secret counts by how it is mounted, never by its content (nor by whether the build has it): as in buildkit,
    /// a changed secret reuses the cached step, and nothing of a secret can be read back from a cache key.
    /// </summary>
    public static string Key(IReadOnlyList<Resolved> mounts, BuildContext context)
    {
        var parts = new List<string?>();
        foreach (var (mount, contextPath, from, secret) in mounts)
        {
            if (secret is not null)
            {
                parts.Add($"secret {secret.Id} {secret.Target} {secret.Env} {secret.Mode} {secret.Uid} {secret.Gid} {secret.Required}");
                continue;
            }
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
    /// replaced by a copy of what it binds (made in <paramref name="scratch"/>), the secrets' files on a tmpfs made for
    /// the step; <paramref name="secretEnv"/> gets the secrets asked for as variables. What must go after the step
    /// (views, copies, the tmpfs) is added to <paramref name="cleanups"/>, also when this fails.
    /// </summary>
    public static List<RunStepMount> ForStep(IReadOnlyList<Resolved> mounts, BuildContext context, ImageStore images, string scratch, List<Action> cleanups,
        List<string> secretEnv)
    {
        var result = new List<RunStepMount>(mounts.Count);
        SecretFiles? secretFiles = null;
        foreach (var (resolved, contextPath, from, secret) in mounts)
        {
            if (secret is not null)
            {
                if (secret.Content is not { } content)
                    continue; // not given, not required: nothing, as buildkit's optional secret
                if (secret.Env is { } name)
                    secretEnv.Add(name + "=" + System.Text.Encoding.UTF8.GetString(content));
                if (secret.Target is { } target)
                {
                    if (secretFiles is null)
                    {
                        secretFiles = SecretFiles.Mount(scratch, mounts.Sum(m => (long)(m.Secret?.Content?.Length ?? 0)));
                        cleanups.Add(secretFiles.Dispose);
                    }
                    result.Add(new RunStepMount("bind", secretFiles.Add(content, secret.Mode, secret.Uid, secret.Gid), target, ReadOnly: true));
                }
                continue;
            }
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
