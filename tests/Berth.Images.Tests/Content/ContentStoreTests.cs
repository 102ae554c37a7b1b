using System.Security.Cryptography;
using Berth.Images.Content;
using Berth.Oci;

namespace Berth.Images.Tests.Content;

public sealed class ContentStoreTests : IDisposable
{
    readonly TempRoot _root = new();
    readonly FileContentStore _store;

    public ContentStoreTests() => _store = new FileContentStore(_root.Content);

    public void Dispose() => _root.Dispose();

    internal static byte[] RandomBytes(int length, int seed)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }

    static Digest Sha512(byte[] data) => new(Digest.Sha512, Convert.ToHexStringLower(SHA512.HashData(data)));

    /// <summary>Writes in uneven chunks, some below and some above the writer's buffer.</summary>
    internal static void WriteChunked(ContentWriter writer, ReadOnlySpan<byte> data, int seed = 1)
    {
        var random = new Random(seed);
        while (!data.IsEmpty)
        {
            int n = Math.Min(data.Length, random.Next(4) == 0 ? random.Next(1 << 20, 3 << 20) : random.Next(1, 70_000));
            writer.Write(data[..n]);
            data = data[n..];
        }
    }

    byte[] ReadBlob(Digest digest)
    {
        using var stream = _store.OpenRead(digest);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    void AssertNoIngestLeft()
    {
        Assert.Empty(_store.Ingests());
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_root.Content, "ingest")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_root.Content, "tmp")));
    }

    [Fact]
    public void Write_commit_read_and_verify()
    {
        var data = RandomBytes(3 * 1024 * 1024 + 17, 1);
        var expected = Digest.FromBytes(data);
        using (var writer = _store.OpenWriter("pull-1", expected, data.Length)!)
        {
            WriteChunked(writer, data);
            Assert.Equal(data.Length, writer.Offset);
            Assert.Equal(expected, writer.CurrentDigest);
            Assert.Equal(expected, writer.Commit());
            Assert.Throws<ObjectDisposedException>(() => writer.Write(data.AsSpan(0, 1)));
        }
        Assert.Equal(data, ReadBlob(expected));
        Assert.True(_store.Verify(expected));
        Assert.Equal(data.Length, _store.Info(expected)!.Size);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(_store.BlobPath(expected)));
        Assert.Equal([expected], _store.List().Select(c => c.Digest));
        AssertNoIngestLeft();
    }

    [Fact]
    public void Commit_without_expectation_names_the_blob_by_its_sha256()
    {
        var data = RandomBytes(1000, 2);
        using var writer = _store.OpenWriter("layer-create")!;
        writer.Write(data);
        Assert.Equal(Digest.FromBytes(data), writer.Commit());
        Assert.True(_store.Verify(Digest.FromBytes(data)));
    }

    [Fact]
    public void Empty_blob()
    {
        using var writer = _store.OpenWriter("empty")!;
        var digest = writer.Commit(0);
        Assert.Equal("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", digest.ToString());
        Assert.Equal(0, _store.Info(digest)!.Size);
    }

    [Fact]
    public void Sha512_expected_at_open()
    {
        var data = RandomBytes(2_500_000, 3);
        var expected = Sha512(data);
        using var writer = _store.OpenWriter("sha512", expected, data.Length)!;
        WriteChunked(writer, data);
        Assert.Equal(expected, writer.CurrentDigest);
        Assert.Equal(expected, writer.Commit());
        Assert.True(File.Exists(Path.Combine(_root.Content, "blobs", "sha512", expected.Encoded)));
        Assert.True(_store.Verify(expected));
        Assert.Equal(data, ReadBlob(expected));
    }

    [Fact]
    public void Sha512_expected_only_at_commit_rehashes()
    {
        var data = RandomBytes(100_000, 4);
        using var writer = _store.OpenWriter("sha512-late")!;
        writer.Write(data);
        Assert.Equal(Sha512(data), writer.Commit(data.Length, Sha512(data)));
        Assert.True(_store.Verify(Sha512(data)));
    }

    [Fact]
    public void Digest_mismatch_is_data_loss_and_leaves_nothing()
    {
        var data = RandomBytes(50_000, 5);
        var wrong = Digest.FromBytes([1, 2, 3]);
        using var writer = _store.OpenWriter("pull-bad", wrong, data.Length)!;
        writer.Write(data);
        var e = Assert.Throws<StoreException>(() => writer.Commit());
        Assert.Equal(StoreErrorKind.DataLoss, e.Kind);
        Assert.Contains($"expected {wrong}", e.Message);
        Assert.Contains($"got {Digest.FromBytes(data)}", e.Message);
        Assert.Empty(_store.List());
        AssertNoIngestLeft();
    }

    [Fact]
    public void Size_mismatch_is_data_loss_and_leaves_nothing()
    {
        var data = RandomBytes(1000, 6);
        using var writer = _store.OpenWriter("pull-short", Digest.FromBytes(data), data.Length)!;
        writer.Write(data.AsSpan(0, 999));
        var e = Assert.Throws<StoreException>(() => writer.Commit());
        Assert.Equal(StoreErrorKind.DataLoss, e.Kind);
        Assert.Contains("expected 1000 bytes, got 999", e.Message);
        Assert.Empty(_store.List());
        AssertNoIngestLeft();
    }

    [Fact]
    public void Resume_continues_where_the_last_writer_stopped()
    {
        var data = RandomBytes(2_000_000, 7);
        var expected = Digest.FromBytes(data);
        using (var first = _store.OpenWriter("pull-resume", expected, data.Length)!)
            first.Write(data.AsSpan(0, 1_234_567));

        var status = Assert.Single(_store.Ingests());
        Assert.Equal("pull-resume", status.Reference);
        Assert.Equal(1_234_567, status.Offset);
        Assert.Equal(expected, status.Expected);
        Assert.Equal(data.Length, status.ExpectedSize);

        // The expectation recorded by the first writer holds for the second, which need not repeat it.
        using var second = _store.OpenWriter("pull-resume")!;
        Assert.Equal(1_234_567, second.Offset);
        WriteChunked(second, data.AsSpan((int)second.Offset));
        Assert.Equal(expected, second.Commit());
        Assert.True(_store.Verify(expected));
        AssertNoIngestLeft();
    }

    [Fact]
    public void Resume_for_other_content_is_a_conflict()
    {
        using (var writer = _store.OpenWriter("pull-x", Digest.FromBytes([1]), 1)!)
            writer.Write([1]);
        var e = Assert.Throws<StoreException>(() => _store.OpenWriter("pull-x", Digest.FromBytes([2]), 1));
        Assert.Equal(StoreErrorKind.Conflict, e.Kind);
    }

    [Fact]
    public void Second_writer_of_one_reference_is_a_conflict()
    {
        using var first = _store.OpenWriter("pull-busy")!;
        first.Write([1, 2, 3]);
        var e = Assert.Throws<StoreException>(() => _store.OpenWriter("pull-busy"));
        Assert.Equal(StoreErrorKind.Conflict, e.Kind);
        Assert.Contains("pull-busy", e.Message);
        var abort = Assert.Throws<StoreException>(() => _store.AbortIngest("pull-busy"));
        Assert.Equal(StoreErrorKind.Conflict, abort.Kind);
        first.Dispose();
        using var second = _store.OpenWriter("pull-busy")!;
        Assert.Equal(3, second.Offset);
    }

    [Fact]
    public void Abort_drops_the_ingest()
    {
        using (var writer = _store.OpenWriter("a")!)
        {
            writer.Write([1, 2, 3]);
            writer.Abort();
        }
        AssertNoIngestLeft();

        using (var writer = _store.OpenWriter("b")!)
            writer.Write([1, 2, 3]);
        Assert.Single(_store.Ingests());
        _store.AbortIngest("b");
        AssertNoIngestLeft();

        var e = Assert.Throws<StoreException>(() => _store.AbortIngest("b"));
        Assert.Equal(StoreErrorKind.NotFound, e.Kind);
    }

    [Fact]
    public void Present_content_needs_no_writer_and_committing_it_again_is_fine()
    {
        var data = RandomBytes(10_000, 8);
        var digest = Digest.FromBytes(data);
        using (var writer = _store.OpenWriter("one", digest)!)
        {
            writer.Write(data);
            writer.Commit();
        }
        Assert.Null(_store.OpenWriter("two", digest, data.Length));

        using var again = _store.OpenWriter("three")!;
        again.Write(data);
        Assert.Equal(digest, again.Commit());
        Assert.Single(_store.List());
        AssertNoIngestLeft();
    }

    [Fact]
    public async Task Concurrent_writers_of_different_references()
    {
        var blobs = Enumerable.Range(0, 8).Select(i => RandomBytes(1_500_000 + i, 100 + i)).ToArray();
        await Task.WhenAll(blobs.Select((data, i) => Task.Run(() =>
        {
            using var writer = _store.OpenWriter($"parallel-{i}", Digest.FromBytes(data), data.Length)!;
            WriteChunked(writer, data, i);
            writer.Commit();
        })));
        // And the same content through several references at once: every commit succeeds.
        var same = RandomBytes(700_000, 99);
        await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Task.Run(() =>
        {
            using var writer = _store.OpenWriter($"same-{i}")!;
            WriteChunked(writer, same, i);
            Assert.Equal(Digest.FromBytes(same), writer.Commit());
        })));
        Assert.Equal(9, _store.List().Count());
        foreach (var info in _store.List())
            Assert.True(_store.Verify(info.Digest));
        AssertNoIngestLeft();
    }

    [Fact]
    public async Task Async_writes()
    {
        var data = RandomBytes(3_000_000, 9);
        using var writer = _store.OpenWriter("async", Digest.FromBytes(data), data.Length)!;
        var random = new Random(9);
        for (int offset = 0; offset < data.Length;)
        {
            int n = Math.Min(data.Length - offset, random.Next(2) == 0 ? random.Next(1, 10_000) : random.Next(1 << 20, 2 << 20));
            await writer.WriteAsync(data.AsMemory(offset, n));
            offset += n;
        }
        Assert.Equal(Digest.FromBytes(data), writer.Commit());
        Assert.True(_store.Verify(Digest.FromBytes(data)));
    }

    [Fact]
    public void Writes_allocate_nothing()
    {
        var small = RandomBytes(4096, 10);
        var large = RandomBytes(2 << 20, 11);
        using var writer = _store.OpenWriter("alloc")!;
        writer.Write(small);
        // Past the first writeback hint (every 8 MiB), whose first native call binds lazily.
        for (int i = 0; i < 5; i++)
            writer.Write(large);
        Assert.True(writer.WriteAsync(small).IsCompletedSuccessfully);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 2000; i++)
            writer.Write(small);
        for (int i = 0; i < 5; i++)
            writer.Write(large);
        // Asynchronous writes that fit in the buffer complete at once, without a state machine.
        bool allSynchronous = true;
        for (int i = 0; i < 100; i++)
            allSynchronous &= writer.WriteAsync(small).IsCompletedSuccessfully;
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(allSynchronous);
    }

    [Fact]
    public void Delete_list_info_and_missing_content()
    {
        var data = RandomBytes(10, 12);
        var digest = Digest.FromBytes(data);
        Assert.Null(_store.Info(digest));
        Assert.Equal(StoreErrorKind.NotFound, Assert.Throws<StoreException>(() => _store.OpenRead(digest)).Kind);
        using (var writer = _store.OpenWriter("d")!)
        {
            writer.Write(data);
            writer.Commit();
        }
        Assert.True(_store.Delete(digest));
        Assert.False(_store.Delete(digest));
        Assert.Empty(_store.List());
    }

    [Fact]
    public void Invalid_references_and_sizes()
    {
        Assert.Equal(StoreErrorKind.InvalidArgument, Assert.Throws<StoreException>(() => _store.OpenWriter("")).Kind);
        Assert.Equal(StoreErrorKind.InvalidArgument, Assert.Throws<StoreException>(() => _store.OpenWriter("x\0y")).Kind);
        Assert.Equal(StoreErrorKind.InvalidArgument, Assert.Throws<StoreException>(() => _store.OpenWriter("x", null, -2)).Kind);
        // Any other string is a valid reference: it only names a directory by its hash.
        using var writer = _store.OpenWriter("../../etc/passwd with spaces/é")!;
        Assert.Equal("../../etc/passwd with spaces/é", Assert.Single(_store.Ingests()).Reference);
    }

    [Fact]
    public void Leftovers_are_removed_unless_held_kept_or_recent()
    {
        foreach (string reference in new[] { "stale", "kept", "held" })
        {
            using var writer = _store.OpenWriter(reference)!;
            writer.Write([1, 2, 3]);
        }
        using var held = _store.OpenWriter("held")!;
        // Debris of crashes: an ingest directory without its ref file, and a half-removed one in tmp/.
        Directory.CreateDirectory(Path.Combine(_root.Content, "ingest", new string('0', 64)));
        Directory.CreateDirectory(Path.Combine(_root.Content, "tmp", "x-1"));
        File.WriteAllBytes(Path.Combine(_root.Content, "tmp", "x-1", "data"), [1]);

        var recent = _store.RemoveLeftovers(DateTimeOffset.UtcNow.AddHours(-1), _ => false);
        Assert.Empty(recent.Removed);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_root.Content, "tmp")));

        var cleanup = _store.RemoveLeftovers(DateTimeOffset.UtcNow.AddMinutes(1), reference => reference == "kept");
        Assert.Equal(["stale", new string('0', 64)], cleanup.Removed.Order(StringComparer.Ordinal).Reverse());
        Assert.Equal(3, cleanup.Bytes);
        Assert.Equal(["held", "kept"], _store.Ingests().Select(i => i.Reference).Order(StringComparer.Ordinal));
    }
}
