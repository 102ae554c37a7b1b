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
/// knows that mean nothing here are accepted; unknown types are refused.
/// </summary>
internal static class RunMounts
{
    public static IReadOnlyList<RunStepMount> Resolve(IReadOnlyList<RunMount> mounts, BuildContext context, string cacheDirectory)
    {
        var result = new List<RunStepMount>();
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
                    result.Add(new RunStepMount("bind", directory, target, IsTrue(Option(mount, "readonly", "ro"))));
                    break;
                case "bind":
                    if (target is null)
                        throw new BuildException("mount type bind requires a target");
                    if (Option(mount, "from") is { Length: > 0 } from)
                        throw new BuildException($"RUN --mount=type=bind,from={from}: binds from another stage or image are not supported; COPY --from the files instead");
                    string source = GoPath.Clean("/" + (Option(mount, "source", "src") ?? "/")).TrimStart('/');
                    string host = Path.Combine(context.Root, source);
                    if (!Path.Exists(host))
                        throw new BuildException($"RUN --mount=type=bind: source {GoQuote.Quote(source)} is not in the build context");
                    result.Add(new RunStepMount("bind", host, target, !IsTrue(Option(mount, "rw", "readwrite"))));
                    break;
                case "tmpfs":
                    if (target is null)
                        throw new BuildException("mount type tmpfs requires a target");
                    long size = Option(mount, "size") is { } text && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long bytes) ? bytes : 0;
                    result.Add(new RunStepMount("tmpfs", null, target, false, size));
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
    public static string Key(IReadOnlyList<RunStepMount> mounts, BuildContext context)
    {
        var parts = new List<string?>();
        foreach (var mount in mounts)
        {
            parts.Add($"{mount.Type} {mount.Target} {mount.ReadOnly} {mount.TmpfsSize}");
            if (mount.Source is { } source && source.StartsWith(context.Root, StringComparison.Ordinal))
                parts.Add(ContextCopier.Checksum(context.Root, new CopyOptions { Sources = [Path.GetRelativePath(context.Root, source)], Destination = "/" }, context));
        }
        return BuildCache.Key([.. parts]);
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
