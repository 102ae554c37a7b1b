using Berth.Images.Layers;
using Berth.Oci;

namespace Berth.Images.Tests.Layers;

/// <summary>gzip and zstd both ways, and clear errors for truncated, corrupt and mismatched layers.</summary>
public sealed class CompressionAndErrorTests
{
    static string MakeTree(ScratchDir scratch)
    {
        string source = scratch.Dir("source");
        Sh.Ok($"cd '{source}' && mkdir -p a/b && seq 1 20000 > a/b/numbers && head -c 200000 /dev/urandom > a/random && ln -s a/random link");
        return source;
    }

    [Theory]
    [InlineData(LayerCompression.Gzip)]
    [InlineData(LayerCompression.Zstd)]
    [InlineData(LayerCompression.None)]
    public void CompressedLayersRoundTrip(LayerCompression compression)
    {
        using var scratch = new ScratchDir();
        string source = MakeTree(scratch), target = scratch.Dir("target");
        using var blob = new MemoryStream();
        var written = LayerWriter.WriteDirectory(source, blob, new LayerWriteOptions { Compression = compression });
        Assert.Equal(Digest.FromBytes(blob.ToArray()), written.Digest);
        Assert.Equal(blob.Length, written.Size);
        if (compression == LayerCompression.None)
            Assert.Equal(written.DiffId, written.Digest);
        else
            Assert.NotEqual(written.DiffId, written.Digest);

        blob.Position = 0;
        var applied = LayerApplier.Apply(blob, target, new ApplyOptions { ExpectedDiffId = written.DiffId });
        Assert.Equal(compression, applied.Compression);
        Assert.Equal(written.TarSize, applied.TarSize);
        Assert.Equal(TreeSnapshot.Of(source, "s"), TreeSnapshot.Of(target, "s"));
    }

    [Theory]
    [InlineData("gzip -c", LayerCompression.Gzip)]
    [InlineData("zstd -q -c", LayerCompression.Zstd)]
    public void LayersCompressedByTheCommandLineToolsApply(string compressor, LayerCompression expected)
    {
        using var scratch = new ScratchDir();
        string source = MakeTree(scratch), target = scratch.Dir("target");
        string tar = scratch.File("layer.tar"), compressed = scratch.File("layer.tar.c");
        Sh.Ok($"tar -C '{source}' -cf '{tar}' . && {compressor} '{tar}' > '{compressed}'");
        using var input = File.OpenRead(compressed);
        var applied = LayerApplier.Apply(input, target);
        Assert.Equal(expected, applied.Compression);
        Assert.Equal(Digest.FromBytes(File.ReadAllBytes(tar)), applied.DiffId);
        Assert.Equal(TreeSnapshot.Of(source, "s"), TreeSnapshot.Of(target, "s"));
    }

    [Theory]
    [InlineData(LayerCompression.None)]
    [InlineData(LayerCompression.Gzip)]
    [InlineData(LayerCompression.Zstd)]
    public void TruncatedLayerGivesAClearError(LayerCompression compression)
    {
        using var scratch = new ScratchDir();
        string source = MakeTree(scratch);
        using var blob = new MemoryStream();
        LayerWriter.WriteDirectory(source, blob, new LayerWriteOptions { Compression = compression });
        var truncated = blob.ToArray()[..(int)(blob.Length / 2)];
        var e = Assert.Throws<StoreException>(() => LayerApplier.Apply(new MemoryStream(truncated), scratch.Dir("target")));
        Assert.Equal(StoreErrorKind.InvalidArgument, e.Kind);
        Assert.Matches("truncated|unexpected end|corrupt", e.Message);
    }

    [Fact]
    public void CorruptGzipGivesAClearError()
    {
        using var scratch = new ScratchDir();
        string source = MakeTree(scratch);
        using var blob = new MemoryStream();
        LayerWriter.WriteDirectory(source, blob, new LayerWriteOptions { Compression = LayerCompression.Gzip });
        var bytes = blob.ToArray();
        for (int i = 100; i < 400; i++)
            bytes[i] ^= 0x5a;
        var e = Assert.Throws<StoreException>(() => LayerApplier.Apply(new MemoryStream(bytes), scratch.Dir("target")));
        Assert.Equal(StoreErrorKind.InvalidArgument, e.Kind);
    }

    [Fact]
    public void CorruptTarHeaderGivesAClearError()
    {
        var tar = new TestTar().File("a", "hello").File("b", "world").Build();
        tar[512 + 512 + 10] ^= 0x20; // inside the second header's name: the checksum no longer matches
        using var scratch = new ScratchDir();
        var e = Assert.Throws<StoreException>(() => LayerApplier.Apply(new MemoryStream(tar), scratch.Dir("target")));
        Assert.Equal(StoreErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("checksum", e.Message);
        Assert.Contains("offset 1024", e.Message);
    }

    [Fact]
    public void NotATarGivesAClearError()
    {
        using var scratch = new ScratchDir();
        var e = Assert.Throws<StoreException>(() => LayerApplier.Apply(new MemoryStream(new byte[1000].Select((_, i) => (byte)i).ToArray()), scratch.Dir("target")));
        Assert.Equal(StoreErrorKind.InvalidArgument, e.Kind);
    }

    [Fact]
    public void DiffIdMismatchIsDataLoss()
    {
        using var scratch = new ScratchDir();
        var tar = new TestTar().File("a", "hello").Build();
        var wrong = Digest.FromBytes("something else"u8);
        var e = Assert.Throws<StoreException>(() => LayerApplier.Apply(new MemoryStream(tar), scratch.Dir("target"), new ApplyOptions { ExpectedDiffId = wrong }));
        Assert.Equal(StoreErrorKind.DataLoss, e.Kind);
        Assert.Contains(wrong.ToString(), e.Message);
        Assert.Contains(Digest.FromBytes(tar).ToString(), e.Message);
    }

    [Fact]
    public void DiffIdCoversTrailingBytesAfterTheEndMarker()
    {
        // GNU tar pads to a 10 KiB record; the diffID is the digest of every byte, as Docker computes it.
        var tar = new TestTar().File("a", "hello").Build().Concat(new byte[9000]).ToArray();
        using var scratch = new ScratchDir();
        var applied = LayerApplier.Apply(new MemoryStream(tar), scratch.Dir("target"));
        Assert.Equal(Digest.FromBytes(tar), applied.DiffId);
        Assert.Equal(tar.Length, applied.TarSize);
    }

    [Fact]
    public void EmptyLayerIsValid()
    {
        using var scratch = new ScratchDir();
        var tar = new byte[1024];
        var applied = LayerApplier.Apply(new MemoryStream(tar), scratch.Dir("target"));
        Assert.Equal(0, applied.Entries);
        Assert.Equal(Digest.FromBytes(tar), applied.DiffId);
    }
}
