using Berth.Images.Layers;
using Berth.Oci;

namespace Berth.Images.Tests.Layers;

/// <summary>
/// Archives users hand in (import, load, cp, build contexts) decompress as Docker's DecompressStream does, bzip2 and xz
/// included; layers keep to the OCI compressions.
/// </summary>
public sealed class ArchiveStreamsTests
{
    static (string Tar, string Source) MakeTar(ScratchDir scratch)
    {
        string source = scratch.Dir("source");
        Sh.Ok($"cd '{source}' && mkdir -p a/b && seq 1 50000 > a/b/numbers && head -c 300000 /dev/urandom > a/random");
        string tar = scratch.File("archive.tar");
        Sh.Ok($"tar -C '{source}' -cf '{tar}' .");
        return (tar, source);
    }

    [Theory]
    [InlineData("cat", ArchiveCompression.None)]
    [InlineData("gzip -c", ArchiveCompression.Gzip)]
    [InlineData("zstd -q -c", ArchiveCompression.Zstd)]
    [InlineData("bzip2 -c", ArchiveCompression.Bzip2)]
    [InlineData("xz -c", ArchiveCompression.Xz)]
    public void Every_compression_docker_takes_gives_back_the_tar(string compressor, ArchiveCompression expected)
    {
        using var scratch = new ScratchDir();
        var (tar, _) = MakeTar(scratch);
        string compressed = scratch.File("archive.c");
        Sh.Ok($"{compressor} '{tar}' > '{compressed}'");
        using var plain = ArchiveStreams.Decompress(File.OpenRead(compressed), out var compression);
        Assert.Equal(expected, compression);
        using var copy = new MemoryStream();
        plain.CopyTo(copy);
        Assert.Equal(File.ReadAllBytes(tar), copy.ToArray());
    }

    [Fact]
    public void An_xz_archive_applies_with_the_plain_tar_s_diff_id()
    {
        using var scratch = new ScratchDir();
        var (tar, source) = MakeTar(scratch);
        Sh.Ok($"xz -k '{tar}'");
        string target = scratch.Dir("target");
        using (var input = ArchiveStreams.Decompress(File.OpenRead(tar + ".xz")))
            Assert.Equal(Digest.FromBytes(File.ReadAllBytes(tar)), LayerApplier.Apply(input, target).DiffId);
        Assert.Equal(TreeSnapshot.Of(source, "s"), TreeSnapshot.Of(target, "s"));
    }

    [Fact]
    public void A_corrupt_xz_archive_is_a_clear_invalid_argument()
    {
        using var scratch = new ScratchDir();
        byte[] corrupt = [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, .. new byte[2000].Select((_, i) => (byte)(i * 7))];
        using var input = ArchiveStreams.Decompress(new MemoryStream(corrupt));
        var e = Assert.Throws<StoreException>(() => LayerApplier.Apply(input, scratch.Dir("target")));
        Assert.Equal(StoreErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("xz: ", e.Message);
    }

    [Fact]
    public void A_layer_still_may_not_be_bzip2_or_xz()
    {
        var e = Assert.Throws<StoreException>(() => LayerStreams.Decompress(new MemoryStream([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 1, 2]), out _));
        Assert.Contains("xz-compressed layers are not supported", e.Message);
    }

    [Fact]
    public void A_missing_program_is_go_s_exec_error_and_the_input_is_closed()
    {
        var input = new MemoryStream([1, 2, 3]);
        var e = Assert.Throws<StoreException>(() => new ProgramStream("berth-no-such-decompressor", input));
        Assert.Equal("exec: \"berth-no-such-decompressor\": executable file not found in $PATH", e.Message);
        Assert.False(input.CanRead);
    }

    [Fact]
    public void Stopping_early_ends_the_program_and_its_feeding()
    {
        using var scratch = new ScratchDir();
        string big = scratch.File("big");
        Sh.Ok($"head -c 20000000 /dev/zero | xz -0 -c > '{big}'");
        var file = File.OpenRead(big);
        var before = Decompressors().ToHashSet();
        int pid;
        using (var plain = ArchiveStreams.Decompress(file))
        {
            Assert.Equal(4096, plain.ReadAtLeast(new byte[4096], 4096));
            pid = Assert.Single(Decompressors().Except(before));
        }
        Assert.DoesNotContain(pid, Decompressors());
        Assert.False(file.CanRead); // disposed with the stream, after the feeding stopped
    }

    // This test process's children that are xz programs.
    static IEnumerable<int> Decompressors()
        => Directory.GetDirectories($"/proc/{Environment.ProcessId}/task")
            .SelectMany(t => File.ReadAllText(Path.Combine(t, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(int.Parse)
            .Where(p => Comm(p) == "xz");

    static string Comm(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (IOException)
        {
            return "";
        }
    }
}
