using System.Text;
using Berth.Build.Context;
using Berth.Images.Layers;

namespace Berth.Build.Tests.Context;

/// <summary>
/// Contexts kept between builds (berth build's file sync): the manifest, the daemon's answer of what it lacks, the
/// update that brings its copy to the client's directory, on real directories.
/// </summary>
public sealed class SyncedContextsTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("berth-test-synced-").FullName;
    readonly SyncedContexts _contexts;
    string Src => Path.Combine(_dir, "src");

    public SyncedContextsTests()
    {
        Directory.CreateDirectory(Src);
        _contexts = new SyncedContexts(Path.Combine(_dir, "slots"));
    }

    public void Dispose()
    {
        _contexts.Clear();
        Directory.Delete(_dir, recursive: true);
    }

    void Write(string path, string content, DateTime? mtime = null)
    {
        string full = Path.Combine(Src, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        if (mtime is { } time)
            File.SetLastWriteTimeUtc(full, time);
    }

    /// <summary>What a client does: scan, offer, pack what was asked; returns the paths sent and the context.</summary>
    (List<string> Sent, BuildContext Context) Sync(string key = "k", PackOptions? options = null, SyncedContexts? contexts = null)
    {
        contexts ??= _contexts;
        var manifest = ContextPacker.Scan(Src, options);
        var offer = contexts.Offer(key, ContextManifest.Read(new MemoryStream(manifest.ToArray())));
        var sent = offer.Needed.Select(i => manifest.Entries[i].Path).ToList();
        var tar = new MemoryStream();
        ContextPacker.Pack(Src, tar, options, sent.ToHashSet());
        tar.Position = 0;
        return (sent, contexts.Receive(offer.Session, tar, options?.Dockerfile));
    }

    /// <summary>Every entry under a root: path, type, mode, mtime second, content or link target.</summary>
    static List<string> Tree(string root)
    {
        var result = new List<string>();
        foreach (var info in new DirectoryInfo(root).EnumerateFileSystemInfos("*", SearchOption.AllDirectories).OrderBy(i => i.FullName, StringComparer.Ordinal))
        {
            string rel = Path.GetRelativePath(root, info.FullName);
            string what = info.LinkTarget is { } target ? "-> " + target
                : info is FileInfo file ? File.ReadAllText(file.FullName) : "dir";
            long seconds = info.LinkTarget is null ? new DateTimeOffset(info.LastWriteTimeUtc).ToUnixTimeSeconds() : 0;
            result.Add($"{rel} {info.UnixFileMode} {seconds} {what}");
        }
        return result;
    }

    [Fact]
    public void A_first_build_gets_every_file_and_the_next_one_none()
    {
        Write("Dockerfile", "FROM scratch\n");
        Write("app/a.txt", "a");
        Write("app/b.txt", "b");
        File.CreateSymbolicLink(Path.Combine(Src, "link"), "app/a.txt");

        var (sent, context) = Sync();
        Assert.Equal(["Dockerfile", "app/a.txt", "app/b.txt"], sent);
        Assert.Equal("FROM scratch\n", Encoding.UTF8.GetString(context.Dockerfile));
        Assert.True(context.TryGetDigest("app/a.txt", out _));
        context.Dispose();

        (sent, context) = Sync();
        using (context)
        {
            Assert.Empty(sent);
            Assert.Equal(Tree(Src), Tree(context.Root));
            Assert.True(context.TryGetDigest("app/b.txt", out var digest));
            Assert.Equal(System.Security.Cryptography.SHA256.HashData("b"u8), digest);
        }
        Assert.Equal(1, _contexts.Count);
    }

    [Fact]
    public void Changed_added_and_removed_entries_are_brought_over_and_nothing_else_is_sent()
    {
        var past = new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        Write("Dockerfile", "FROM scratch\n", past);
        Write("same.txt", "same", past);
        Write("changed.txt", "old", past);
        Write("touched.txt", "t", past);
        Write("gone/deep/x.txt", "x", past);
        Write("becomes-dir", "file", past);
        Write("dir-becomes-file/y.txt", "y", past);
        Sync().Context.Dispose();

        Write("changed.txt", "new content", past.AddSeconds(1));
        File.SetLastWriteTimeUtc(Path.Combine(Src, "touched.txt"), past.AddSeconds(2));
        Write("added/z.txt", "z", past);
        Directory.Delete(Path.Combine(Src, "gone"), recursive: true);
        File.Delete(Path.Combine(Src, "becomes-dir"));
        Write("becomes-dir/inner.txt", "inner", past);
        Directory.Delete(Path.Combine(Src, "dir-becomes-file"), recursive: true);
        Write("dir-becomes-file", "now a file", past);
        File.SetUnixFileMode(Path.Combine(Src, "same.txt"), (UnixFileMode)0x1ED); // 0755: a mode change is a change

        var (sent, context) = Sync();
        using (context)
        {
            Assert.Equal(["added/z.txt", "becomes-dir/inner.txt", "changed.txt", "dir-becomes-file", "same.txt", "touched.txt"], sent.Order(StringComparer.Ordinal));
            Assert.Equal(Tree(Src), Tree(context.Root));
            Assert.False(context.TryGetDigest("gone/deep/x.txt", out _));
            Assert.True(context.TryGetDigest("changed.txt", out var digest));
            Assert.Equal(System.Security.Cryptography.SHA256.HashData("new content"u8), digest);
        }
    }

    [Fact]
    public void The_identity_of_a_kept_tree_changes_with_its_files_only()
    {
        var past = new DateTime(2021, 5, 6, 7, 8, 9, DateTimeKind.Utc);
        Write("Dockerfile", "FROM scratch\n", past);
        Write("a.txt", "a", past);
        Write("gone.txt", "g", past);
        string? Identity()
        {
            using var context = Sync().Context;
            return context.Identity;
        }
        string? first = Identity();
        Assert.NotNull(first);
        Assert.Equal(first, Identity());
        Write("a.txt", "b", past.AddSeconds(1));
        string? changed = Identity();
        Assert.NotEqual(first, changed);
        Assert.Equal(changed, Identity());
        File.Delete(Path.Combine(Src, "gone.txt"));
        string? removed = Identity();
        Assert.NotEqual(changed, removed);
        Assert.Equal(removed, Identity());
        Assert.Null(BuildContext.Receive(new MemoryStream("FROM scratch\n"u8.ToArray()), null, Path.Combine(_dir, "whole")).Identity);
    }

    [Fact]
    public void Clearing_removes_the_idle_trees_and_says_what_they_held()
    {
        Write("Dockerfile", "FROM scratch\n");
        Write("a.txt", "12345");
        var (_, context) = Sync();
        string root = context.Root;
        Assert.Equal(0, _contexts.Clear()); // in use: kept
        context.Dispose();
        Assert.Equal("FROM scratch\n".Length + 5, _contexts.Clear());
        Assert.False(Directory.Exists(root));
        Assert.Equal(0, _contexts.Count);
        Assert.Equal(["Dockerfile", "a.txt"], Sync().Sent);
    }

    [Fact]
    public void A_build_in_progress_keeps_its_tree_and_a_concurrent_one_gets_another()
    {
        Write("Dockerfile", "FROM scratch\n");
        Write("a.txt", "a");
        Sync().Context.Dispose();
        var (_, first) = Sync();
        using (first)
        {
            var (sent, second) = Sync();
            using (second)
            {
                Assert.Equal(["Dockerfile", "a.txt"], sent);
                Assert.NotEqual(first.Root, second.Root);
            }
        }
        Assert.Equal(2, _contexts.Count);
    }

    [Fact]
    public void An_unknown_or_expired_session_is_refused()
    {
        var time = new ManualTime();
        var contexts = new SyncedContexts(Path.Combine(_dir, "expiring"), reservation: TimeSpan.FromMinutes(1), time: time);
        Write("Dockerfile", "FROM scratch\n");
        var manifest = ContextPacker.Scan(Src);
        var error = Assert.Throws<BuildContextException>(() => contexts.Receive("nope", new MemoryStream(), null));
        Assert.Equal("build context session nope is unknown or has expired: build again to send the whole context", error.Message);

        var offer = contexts.Offer("k", manifest);
        time.Now += TimeSpan.FromMinutes(2);
        Assert.Throws<BuildContextException>(() => contexts.Receive(offer.Session, new MemoryStream(), null));
        // The expired reservation freed its slot: the next offer takes it again.
        contexts.Offer("k", manifest);
        Assert.Equal(1, contexts.Count);
        contexts.Clear();
    }

    [Fact]
    public void An_update_that_lacks_a_needed_file_fails_and_drops_the_slot()
    {
        Write("Dockerfile", "FROM scratch\n");
        Write("a.txt", "a");
        var manifest = ContextPacker.Scan(Src);
        var offer = _contexts.Offer("k", manifest);
        var tar = new MemoryStream();
        ContextPacker.Pack(Src, tar, null, new HashSet<string> { "Dockerfile" });
        tar.Position = 0;
        var error = Assert.Throws<BuildContextException>(() => _contexts.Receive(offer.Session, tar, null));
        Assert.Equal("the build context update lacks a.txt, which it was to send", error.Message);
        Assert.Equal(0, _contexts.Count);
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(_dir, "slots")));
    }

    [Fact]
    public void A_context_without_its_Dockerfile_is_refused_and_kept()
    {
        Write("a.txt", "a");
        var error = Assert.Throws<BuildContextException>(() => Sync());
        Assert.Equal("Cannot locate specified Dockerfile: Dockerfile", error.Message);
        Assert.Equal(1, _contexts.Count);
        Write("Dockerfile", "FROM scratch\n");
        var (sent, context) = Sync();
        context.Dispose();
        Assert.Equal(["Dockerfile"], sent);
    }

    [Fact]
    public void An_ignored_Dockerfile_leaves_the_context_and_is_sent_again_next_time()
    {
        Write("Dockerfile", "FROM scratch\n");
        Write(".dockerignore", "Dockerfile\n");
        Write("a.txt", "a");
        var (sent, context) = Sync();
        using (context)
        {
            Assert.Equal([".dockerignore", "Dockerfile", "a.txt"], sent);
            Assert.False(File.Exists(Path.Combine(context.Root, "Dockerfile")));
        }
        (sent, context) = Sync();
        using (context)
        {
            Assert.Equal(["Dockerfile"], sent);
            Assert.Equal("FROM scratch\n", Encoding.UTF8.GetString(context.Dockerfile));
        }
    }

    [Fact]
    public void The_least_recently_used_idle_slots_go_beyond_the_limit()
    {
        var contexts = new SyncedContexts(Path.Combine(_dir, "few"), maxSlots: 1);
        Write("Dockerfile", "FROM scratch\n");
        var (_, first) = Sync("one", contexts: contexts);
        string firstRoot = first.Root;
        first.Dispose();
        Sync("two", contexts: contexts).Context.Dispose();
        Assert.Equal(1, contexts.Count);
        Assert.False(Directory.Exists(firstRoot));
        var (sent, again) = Sync("one", contexts: contexts);
        again.Dispose();
        Assert.Equal(["Dockerfile"], sent);
        contexts.Clear();
    }

    [Fact]
    public void A_scan_lists_what_a_pack_sends_in_its_order()
    {
        Write("Dockerfile", "FROM scratch\n");
        Write(".dockerignore", "*.log\n");
        Write("b/x.log", "x");
        Write("b/y.txt", "y");
        Write("a.txt", "a");
        File.CreateSymbolicLink(Path.Combine(Src, "link"), "a.txt");
        var tar = new MemoryStream();
        ContextPacker.Pack(Src, tar);
        tar.Position = 0;
        var packed = new List<string>();
        using (var reader = new TarReader(tar))
        {
            while (reader.Next() is { } e)
                packed.Add(e.Name.TrimEnd('/'));
        }
        Assert.Equal(packed, ContextPacker.Scan(Src).Entries.Select(e => e.Path));
    }

    [Theory]
    [InlineData("not a manifest", "invalid build context manifest: it does not start with \"berth-context-manifest/1\"")]
    [InlineData("berth-context-manifest/1\n\u0002", "invalid build context manifest: it ends too early")]
    public void A_malformed_manifest_is_refused(string body, string message)
    {
        var error = Assert.Throws<BuildContextException>(() => ContextManifest.Read(new MemoryStream(Encoding.UTF8.GetBytes(body))));
        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("/abs")]
    [InlineData("a//b")]
    [InlineData(".")]
    public void A_manifest_path_that_is_not_clean_is_refused(string path)
    {
        var manifest = new ContextManifest();
        manifest.Entries.Add(new ContextEntry(path, 0x81A4, 1, 0, 0, 0, 1, 1));
        var error = Assert.Throws<BuildContextException>(() => ContextManifest.Read(new MemoryStream(manifest.ToArray())));
        Assert.Equal($"invalid build context manifest: entry 0 has the path \"{path}\"", error.Message);
    }

    sealed class ManualTime : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = DateTimeOffset.UnixEpoch.AddYears(50);

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
