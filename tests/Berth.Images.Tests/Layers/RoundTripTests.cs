using Berth.Images.Layers;

namespace Berth.Images.Tests.Layers;

/// <summary>Create a layer from a tree holding every file type, apply it into an empty directory, compare bit for bit.</summary>
public sealed class RoundTripTests
{
    [Fact]
    public void EveryFileTypeSurvivesCreateAndApplyExactly()
    {
        using var scratch = new ScratchDir();
        string source = scratch.Dir("source"), target = scratch.Dir("target");
        SampleTree.Create(source);
        string layer = scratch.File("layer.tar");
        LayerWriteResult written;
        using (var output = File.Create(layer))
            written = LayerWriter.WriteDirectory(source, output, new LayerWriteOptions { NanosecondTimes = true });

        ApplyResult applied;
        using (var input = File.OpenRead(layer))
            applied = LayerApplier.Apply(input, target, new ApplyOptions { ExpectedDiffId = written.DiffId });

        Assert.Equal(written.DiffId, applied.DiffId);
        Assert.Equal(new FileInfo(layer).Length, applied.TarSize);
        Assert.Equal(TreeSnapshot.Of(source), TreeSnapshot.Of(target));
        // The sparse file came back with holes: it takes far less than its 64 MB.
        Assert.True(long.Parse(Sh.Ok($"du -k '{target}/sparse.img' | cut -f1")) < 4096);
    }

    [Fact]
    public void DockerDefaultsKeepWholeSecondsAndStillRoundTrip()
    {
        using var scratch = new ScratchDir();
        string source = scratch.Dir("source"), target = scratch.Dir("target");
        SampleTree.Create(source);
        using var buffer = new MemoryStream();
        LayerWriter.WriteDirectory(source, buffer);
        buffer.Position = 0;
        LayerApplier.Apply(buffer, target);
        Assert.Equal(TreeSnapshot.Of(source, "s"), TreeSnapshot.Of(target, "s"));
        Assert.Contains("mtime=1500", TreeSnapshot.Of(target, "ns"));
        Assert.DoesNotContain("123456", TreeSnapshot.Of(target, "ns").Split('\n').First(l => l.StartsWith("empty ")));
    }

    [Fact]
    public void SameTreeGivesSameBytes()
    {
        using var scratch = new ScratchDir();
        string source = scratch.Dir("source");
        SampleTree.Create(source);
        using var first = new MemoryStream();
        using var second = new MemoryStream();
        var a = LayerWriter.WriteDirectory(source, first);
        var b = LayerWriter.WriteDirectory(source, second);
        Assert.Equal(a.DiffId, b.DiffId);
        Assert.True(first.ToArray().AsSpan().SequenceEqual(second.ToArray()));

        // A copy of the tree (new inodes, a new place on disk, different allocation) gives the same digest.
        string copy = scratch.Dir("copy");
        Sh.Ok($"cp -a '{source}/.' '{copy}/'");
        using var third = new MemoryStream();
        Assert.Equal(a.DiffId, LayerWriter.WriteDirectory(copy, third).DiffId);
    }
}
