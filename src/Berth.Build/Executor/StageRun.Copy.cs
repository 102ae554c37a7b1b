using System.Text;
using Berth.Build.Copy;
using Berth.Build.Dockerfile;
using Berth.Images.Store;
using Berth.Linux;

namespace Berth.Build.Executor;

internal sealed partial class StageRun
{
    /// <summary>
    /// COPY and ADD: the sources from the context (or, with --from, from a stage's or an image's file system, mounted
    /// read-only for the step) into a snapshot of the current image. Cached on the parent, the instruction and the
    /// checksum of what it reads; an ADD of a URL is never cached (its content is known only once fetched). The
    /// checksum of what a --from reads is itself kept under the image's ID (an image never changes), so that a warm
    /// build neither mounts nor reads the image again; so is that of a context berthd keeps, under its identity.
    /// </summary>
    async Task CopyAsync(CopyInstruction copy, CancellationToken ct)
    {
        MountedSnapshot? from = null;
        try
        {
            bool fromContext = copy.From is not { Length: > 0 };
            Image? fromImage = null; // null with a --from: a stage with no file system (FROM scratch)
            if (copy.From is { Length: > 0 } name)
            {
                fromImage = await SourceImageAsync(name, ct);
            }
            var options = new CopyOptions
            {
                IsAdd = copy.IsAdd,
                Sources = copy.Sources,
                Destination = copy.Destination,
                WorkingDir = CurrentConfig.WorkingDir is { Length: > 0 } workdir ? workdir : "/",
                Chown = copy.Chown,
                Chmod = copy.Chmod,
                Excludes = copy.Excludes,
                Parents = copy.Parents,
                Checksum = copy.Checksum,
                FromContext = fromContext,
                HeredocTime = _epoch?.ToUnixTimeSeconds() ?? 0,
            };
            string SourceRoot()
            {
                if (fromContext)
                    return context.Root;
                from ??= builder.Images.MountImage(fromImage);
                return from.Path;
            }
            var contents = HeredocContents(copy);
            string checksum = copy.Sources.Count == 0 ? ""
                : fromContext ? KeptChecksum(context.Identity, options, () => ContextCopier.Checksum(context.Root, options, context))
                : fromImage is null ? ContextCopier.Checksum(SourceRoot(), options)
                : KeptChecksum(fromImage.Id.ToString(), options, () => ContextCopier.Checksum(SourceRoot(), options));
            if (contents.Count > 0)
                checksum = BuildCache.Key([checksum, .. contents.SelectMany(c => new[] { c.Name, c.Content })]);
            string createdBy = NopCreatedBy($"{copy.Keyword} {(copy.Sources.Count + contents.Count > 1 ? "multi" : "file")}:{checksum} in {copy.Destination} ");
            bool fetches = copy.IsAdd && copy.Sources.Any(UrlFetcher.IsUrl);
            string? key = fetches ? null : BuildCache.Key("copy", ParentId, createdBy, options.WorkingDir, copy.Chown, copy.Chmod, string.Join('\n', copy.Excludes), copy.Parents.ToString(), copy.Link.ToString());
            await FileStepAsync(key, createdBy, root =>
            {
                if (copy.Sources.Count > 0)
                    ContextCopier.Copy(SourceRoot(), root, options, fromContext ? context : null);
                if (contents.Count > 0)
                    WriteHeredocs(root, contents, options);
            }, ct);
        }
        finally
        {
            from?.Dispose();
        }
    }

    /// <summary>
    /// The file system a <c>--from</c> names: an earlier stage's image (null: a stage with no file system), else an
    /// image from the store or pulled.
    /// </summary>
    async Task<Image?> SourceImageAsync(string name, CancellationToken ct)
        => StagePlan.Find(document.Stages, name, stage.Index) is { } source
            ? built[source.Index]
            : await builder.Worker.GetImageAsync(name, false, null, output, ct);

    /// <summary>
    /// The checksum of what a COPY reads of a tree that never changes under its <paramref name="identity"/> (an
    /// image's ID, a kept context's identity), from the cache when it was read so before; computed when there is none.
    /// </summary>
    string KeptChecksum(string? identity, CopyOptions options, Func<string> compute)
    {
        if (identity is null)
            return compute();
        string key = BuildCache.Key("copy-checksum", identity, options.IsAdd.ToString(), string.Join('\0', options.Sources),
            string.Join('\0', options.Excludes), options.Parents.ToString());
        if (builder.Cache.Lookup(key) is { Length: > 0 } known)
            return known;
        string checksum = compute();
        builder.Cache.Store(key, checksum);
        return checksum;
    }

    /// <summary>COPY's here-documents with their variables expanded when the delimiter was not quoted (buildkit's rule).</summary>
    List<(string Name, string Content)> HeredocContents(CopyInstruction copy)
    {
        if (copy.SourceContents.Count == 0)
            return [];
        var env = ExpansionEnvironment();
        var raw = new ShellLex(lex.Escape) { RawQuotes = true, RawEscapes = true };
        return [.. copy.SourceContents.Select(h => (h.Name, h.Expand ? raw.ProcessWord(h.Content, env) : h.Content))];
    }

    static void WriteHeredocs(string root, List<(string Name, string Content)> contents, CopyOptions options)
    {
        int fd = RootFiles.OpenDirectory(root);
        try
        {
            foreach (var (name, content) in contents)
                ContextCopier.WriteHeredoc(fd, name, content, options);
        }
        finally
        {
            FilesAt.Close(fd);
        }
    }
}
