using Berth.Images.Layers;

namespace Berth.Images.Tests.Layers;

/// <summary>
/// Whiteouts both ways on a real overlayfs mount: changes made through the mount become a layer
/// with .wh. entries, and that layer applied to a fresh upper directory (or to a copy of the lower
/// one) gives the same merged tree.
/// </summary>
public sealed class OverlayDiffTests : IDisposable
{
    readonly ScratchDir _scratch = new();
    readonly string _lower, _upper, _merged;

    public OverlayDiffTests()
    {
        _lower = _scratch.Dir("lower");
        _upper = _scratch.Dir("upper");
        _merged = _scratch.Dir("merged");
        Sh.Ok($"""
            cd '{_lower}' && echo a > a && echo b > b && mkdir -p d keep opq && echo x > d/x && echo y > d/y
            echo k > keep/k && echo 1 > opq/old1 && echo 2 > opq/old2 && touch -d @1500000000 . d keep opq
            """);
        Mount(_lower, _upper, "work");
        Sh.Ok($"""
            cd '{_merged}' && rm a && rm -rf d && echo new > c && echo changed > b && rm -rf opq && mkdir opq
            echo n > opq/new && chmod 700 keep && echo k2 > keep/k2 && mknod dev c 1 5
            """);
    }

    void Mount(string lower, string upper, string work)
        => Sh.Ok($"mount -t overlay overlay -o 'lowerdir={lower},upperdir={upper},workdir={_scratch.Dir(work)}' '{_merged}'");

    void Unmount() => Sh.Ok($"umount '{_merged}'");

    public void Dispose() => _scratch.Dispose();

    static List<string> Entries(string tar)
    {
        using var input = File.OpenRead(tar);
        using var reader = new TarReader(input);
        var names = new List<string>();
        while (reader.Next() is { } e)
            names.Add($"{(char)e.Type} {e.Name}");
        return names;
    }

    [Fact]
    public void OverlayUpperBecomesALayerThatRecreatesTheMergedTree()
    {
        string merged = TreeSnapshot.Of(_merged, "ns", "trusted.overlay.");
        Unmount();
        string layer = _scratch.File("layer.tar");
        using (var output = File.Create(layer))
            LayerWriter.WriteOverlayDiff(_upper, output, new LayerWriteOptions { NanosecondTimes = true });

        var entries = Entries(layer);
        Assert.Contains("0 .wh.a", entries);
        Assert.Contains("0 .wh.d", entries);
        Assert.Contains("5 opq/", entries);
        Assert.Equal(entries.IndexOf("5 opq/") + 1, entries.IndexOf("0 opq/.wh..wh..opq"));
        Assert.Contains("3 dev", entries);
        Assert.DoesNotContain(entries, e => e.StartsWith("3 ") && e != "3 dev");

        // Applied as overlay whiteouts into a fresh upper directory, under the same lower one.
        string upper2 = _scratch.Dir("upper2");
        using (var input = File.OpenRead(layer))
            LayerApplier.Apply(input, upper2, new ApplyOptions { Whiteouts = WhiteoutMode.Overlay });
        Assert.Equal("c 0,0", Sh.Ok($"stat -c '%F' '{upper2}/a' | sed 's/character special file/c/'").Trim() + " " + Sh.Ok($"stat -c '%t,%T' '{upper2}/a'").Trim());
        Assert.Equal("y", Sh.Ok($"python3 -c \"import os; print(os.getxattr('{upper2}/opq', 'trusted.overlay.opaque').decode())\"").Trim());
        Mount(_lower, upper2, "work2");
        Assert.Equal(merged, TreeSnapshot.Of(_merged, "ns", "trusted.overlay."));
        Unmount();

        // Applied by deleting, onto a copy of the lower directory.
        string plain = _scratch.Dir("plain");
        Sh.Ok($"cp -a '{_lower}/.' '{plain}/'");
        using (var input = File.OpenRead(layer))
            LayerApplier.Apply(input, plain);
        Assert.Equal(merged, TreeSnapshot.Of(plain, "ns", "trusted.overlay."));
    }

    [Fact]
    public void DockerDiffOfTheUpperDirectory()
    {
        Unmount();
        var changes = LayerChanges.Overlay(_upper, [_lower]).Select(c => c.ToString()).ToList();
        Assert.Equal(["D /a", "C /b", "A /c", "D /d", "A /dev", "C /keep", "A /keep/k2", "C /opq", "A /opq/new"], changes);
    }

    [Fact]
    public void TwoTreeDiffMatchesTheOverlayOne()
    {
        string merged = TreeSnapshot.Of(_merged, "s", "trusted.overlay.");
        string snapshot = _scratch.Dir("snapshot");
        Sh.Ok($"cp -a '{_merged}/.' '{snapshot}/'");
        Unmount();

        var changes = LayerChanges.Compare(snapshot, _lower).Select(c => c.ToString()).ToList();
        Assert.Equal(["D /a", "C /b", "A /c", "D /d", "A /dev", "C /keep", "A /keep/k2", "C /opq", "A /opq/new", "D /opq/old1", "D /opq/old2"], changes);

        // The diff applied onto a copy of the lower tree gives the new tree; and it is deterministic.
        using var first = new MemoryStream();
        using var second = new MemoryStream();
        var written = LayerWriter.WriteDiff(snapshot, _lower, first);
        Assert.Equal(written.DiffId, LayerWriter.WriteDiff(snapshot, _lower, second).DiffId);
        string plain = _scratch.Dir("plain");
        Sh.Ok($"cp -a '{_lower}/.' '{plain}/'");
        first.Position = 0;
        LayerApplier.Apply(first, plain);
        Assert.Equal(merged, TreeSnapshot.Of(plain, "s", "trusted.overlay."));
    }
}
