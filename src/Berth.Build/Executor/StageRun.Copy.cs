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
    /// checksum of what it reads; an ADD of a URL is never cached (its content is known only once fetched).
    /// </summary>
    async Task CopyAsync(CopyInstruction copy, CancellationToken ct)
    {
        MountedSnapshot? from = null;
        try
        {
            string sourceRoot = context.Root;
            if (copy.From is { Length: > 0 } name)
            {
                var image = StagePlan.Find(document.Stages, name, stage.Index) is { } source
                    ? built[source.Index]
                    : await builder.Worker.GetImageAsync(name, false, null, output, ct);
                from = builder.Images.MountImage(image);
                sourceRoot = from.Path;
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
                FromContext = from is null,
                HeredocTime = _epoch?.ToUnixTimeSeconds() ?? 0,
            };
            var contents = HeredocContents(copy);
            var sourceContext = from is null ? context : null;
            string checksum = copy.Sources.Count > 0 ? ContextCopier.Checksum(sourceRoot, options, sourceContext) : "";
            if (contents.Count > 0)
                checksum = BuildCache.Key([checksum, .. contents.SelectMany(c => new[] { c.Name, c.Content })]);
            string createdBy = NopCreatedBy($"{copy.Keyword} {(copy.Sources.Count + contents.Count > 1 ? "multi" : "file")}:{checksum} in {copy.Destination} ");
            bool fetches = copy.IsAdd && copy.Sources.Any(UrlFetcher.IsUrl);
            string? key = fetches ? null : BuildCache.Key("copy", ParentId, createdBy, options.WorkingDir, copy.Chown, copy.Chmod, string.Join('\n', copy.Excludes), copy.Parents.ToString(), copy.Link.ToString());
            await FileStepAsync(key, createdBy, root =>
            {
                if (copy.Sources.Count > 0)
                    ContextCopier.Copy(sourceRoot, root, options, sourceContext);
                if (contents.Count > 0)
                    WriteHeredocs(root, contents, options);
            }, ct);
        }
        finally
        {
            from?.Dispose();
        }
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
