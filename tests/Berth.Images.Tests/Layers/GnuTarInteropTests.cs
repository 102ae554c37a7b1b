using Berth.Images.Layers;

namespace Berth.Images.Tests.Layers;

/// <summary>GNU tar as the oracle: its archives apply as it extracts them, and it extracts ours to the original tree.</summary>
public sealed class GnuTarInteropTests
{
    const string Xattrs = "--xattrs --xattrs-include='*'";

    [Theory]
    [InlineData("--format=pax " + Xattrs, "ns")]
    [InlineData("--format=gnu", "s")]
    [InlineData("--format=ustar", "s")]
    public void GnuTarArchiveAppliesAsGnuTarExtractsIt(string format, string mtimes)
    {
        using var scratch = new ScratchDir();
        string source = scratch.Dir("source"), ours = scratch.Dir("ours"), theirs = scratch.Dir("theirs");
        SampleTree.Create(source);
        if (format.Contains("ustar"))
            // ustar holds no ids past 2^21 and no names past 256 bytes.
            Sh.Ok($"cd '{source}' && rm -rf bigid biglink deep longtarget");
        string archive = scratch.File("gnu.tar");
        bool sparse = !format.Contains("ustar"); // ustar has no sparse entries
        Sh.Ok($"tar {format} {(sparse ? "-S" : "")} -C '{source}' -cf '{archive}' .");

        using (var input = File.OpenRead(archive))
            LayerApplier.Apply(input, ours);
        Sh.Ok($"tar {Xattrs} --numeric-owner -xpf '{archive}' -C '{theirs}'");

        Assert.Equal(TreeSnapshot.Of(theirs, mtimes), TreeSnapshot.Of(ours, mtimes));
        // And both are the source (GNU tar keeps no xattrs in gnu and ustar formats).
        var skip = format.Contains("pax") ? Array.Empty<string>() : ["user.", "trusted.", "security."];
        Assert.Equal(TreeSnapshot.Of(source, mtimes, skip), TreeSnapshot.Of(ours, mtimes, skip));
        // Holes come back: from the sparse entries, and from the zero blocks of a dense one.
        Assert.True(long.Parse(Sh.Ok($"du -k '{ours}/sparse.img' | cut -f1")) < 4096, "the sparse file keeps its holes");
    }

    [Fact]
    public void GnuTarExtractsOurArchiveToTheSourceTree()
    {
        using var scratch = new ScratchDir();
        string source = scratch.Dir("source"), theirs = scratch.Dir("theirs");
        SampleTree.Create(source);
        string archive = scratch.File("ours.tar");
        using (var output = File.Create(archive))
            LayerWriter.WriteDirectory(source, output, new LayerWriteOptions { NanosecondTimes = true });
        Sh.Ok($"tar {Xattrs} --numeric-owner -xpf '{archive}' -C '{theirs}'");
        // GNU tar does not restore xattrs of symlinks; everything else must match.
        Assert.Equal(TreeSnapshot.Of(source, "ns", "trusted.linkattr"), TreeSnapshot.Of(theirs, "ns", "trusted.linkattr"));
        // And it finds the archive clean: no warnings about unknown or malformed headers.
        var (code, _, stderr) = Sh.Run($"tar -tvf '{archive}' > /dev/null");
        Assert.Equal(0, code);
        Assert.Equal("", stderr);
    }
}
