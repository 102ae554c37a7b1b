using Berth.Images.Layers;

namespace Berth.Images.Tests.Layers;

/// <summary>
/// Archives that try to write outside the target: each is refused or contained, and a sentinel
/// directory beside the target (the place every attack aims at) stays exactly as it was.
/// </summary>
public sealed class HostileArchiveTests : IDisposable
{
    readonly ScratchDir _scratch = new();
    readonly string _root, _sentinel, _before;

    public HostileArchiveTests()
    {
        _root = _scratch.Dir("work/root");
        _sentinel = _scratch.Dir("sentinel");
        File.WriteAllText(Path.Combine(_sentinel, "secret"), "s");
        Directory.CreateDirectory(Path.Combine(_sentinel, "sub"));
        _before = Outside();
    }

    public void Dispose() => _scratch.Dispose();

    /// <summary>Everything outside the target root: the sentinel, and the scratch and work directories' listings.</summary>
    string Outside() => TreeSnapshot.Of(_sentinel) + Sh.Ok($"ls -A '{_scratch.Path}' '{_scratch.Path}/work'");

    void Apply(byte[] tar, WhiteoutMode mode = WhiteoutMode.Delete)
        => LayerApplier.Apply(new MemoryStream(tar), _root, new ApplyOptions { Whiteouts = mode });

    /// <summary>Applies; a refusal is fine too. Either way nothing outside the root changed.</summary>
    void Contained(byte[] tar, WhiteoutMode mode = WhiteoutMode.Delete)
    {
        try
        {
            Apply(tar, mode);
        }
        catch (StoreException e)
        {
            Assert.Equal(StoreErrorKind.InvalidArgument, e.Kind);
        }
        Assert.Equal(_before, Outside());
    }

    void Refused(byte[] tar, string entry)
    {
        var e = Assert.Throws<StoreException>(() => Apply(tar));
        Assert.Equal(StoreErrorKind.InvalidArgument, e.Kind);
        Assert.Contains(entry, e.Message);
        Assert.Equal(_before, Outside());
    }

    [Theory]
    [InlineData("../sentinel/pwned")]
    [InlineData("a/../../sentinel/pwned")]
    [InlineData("./../sentinel/pwned")]
    [InlineData("..")]
    public void DotDotNamesAreRefused(string name) => Refused(new TestTar().File(name).Build(), name);

    [Fact]
    public void AbsoluteNamesLandInsideTheRoot()
    {
        string target = _sentinel + "/pwned";
        Apply(new TestTar().File(target, "abs").File("/../../../sentinel-too").Build());
        Assert.Equal("abs", File.ReadAllText(_root + target));
        Assert.True(File.Exists(_root + "/sentinel-too"));
        Assert.Equal(_before, Outside());
    }

    [Fact]
    public void RelativeSymlinkOutThenFileThroughIt()
        => Contained(new TestTar().Symlink("evil", "../../sentinel").File("evil/pwned").File("evil/secret", "overwritten").Build());

    [Fact]
    public void AbsoluteSymlinkOutThenFileThroughIt()
        => Contained(new TestTar().Symlink("evil", _sentinel).File("evil/pwned").File("evil/secret", "overwritten").Build());

    [Fact]
    public void AbsoluteSymlinkToAPathTheLayerMadeResolvesInsideTheRoot()
    {
        // The layer makes <root>/<sentinel path>/ itself: the symlink then leads there, not to the real sentinel.
        var tar = new TestTar();
        string prefix = "";
        foreach (var part in _sentinel.Trim('/').Split('/'))
            tar.Dir(prefix += part + "/");
        Apply(tar.Symlink("evil", _sentinel).File("evil/secret", "overwritten").Build());
        Assert.Equal("overwritten", File.ReadAllText(_root + _sentinel + "/secret"));
        Assert.Equal(_before, Outside());
    }

    [Fact]
    public void SymlinkToSlashThenWrites()
    {
        Apply(new TestTar().Symlink("rootlink", "/").Dir("etc/").File("rootlink/etc/pwned", "p").Symlink("up", "../../../..").File("up/x", "x").Build());
        Assert.Equal("p", File.ReadAllText(_root + "/etc/pwned"));
        Assert.True(File.Exists(_root + "/x"));
        Assert.Equal(_before, Outside());
    }

    [Fact]
    public void HardLinkOutsideIsRefused()
        => Refused(new TestTar().HardLink("hl", "../../sentinel/secret").Build(), "hl");

    [Fact]
    public void HardLinksThroughSymlinksOrAbsolutePathsStayInside()
    {
        Contained(new TestTar().HardLink("hl", _sentinel + "/secret").Build());
        Contained(new TestTar().Symlink("s", _sentinel).HardLink("hl2", "s/secret").Build());
        Contained(new TestTar().Symlink("up", "../../..").HardLink("hl3", "up/sentinel/secret").Build());
        Assert.Equal("1", Sh.Ok($"stat -c %h '{_sentinel}/secret'").Trim());
    }

    [Fact]
    public void FileReplacedByDirectoryAndBack()
    {
        Contained(new TestTar()
            .Dir("x/").File("x/a").Symlink("x", _sentinel).File("x/b")
            .File("y").Dir("y/").File("y/inside").Symlink("y", "../../sentinel").File("y/c")
            .Dir("z/").Symlink("z", "../sentinel").Dir("z/").File("z/d")
            .Build());
        Contained(new TestTar().Symlink("w", _sentinel).Dir("w/").File("w/secret", "overwritten").Build());
    }

    [Fact]
    public void LongNameTricksAreRefused()
    {
        // A PAX path record overriding a harmless ustar name.
        var pax = TestTar.PaxRecord("path", "../sentinel/paxpwned");
        Refused([.. TestTar.Header("PaxHeaders.0/benign", 'x', pax.Length), .. TestTar.Padded(pax),
            .. TestTar.Header("benign", '0', 0), .. new byte[1024]], "../sentinel/paxpwned");
        // A GNU long name.
        var longName = System.Text.Encoding.ASCII.GetBytes("../sentinel/gnupwned\0");
        Refused([.. TestTar.Header("././@LongLink", 'L', longName.Length, magic: "ustar ", version: " \0"), .. TestTar.Padded(longName),
            .. TestTar.Header("benign", '0', 0, magic: "ustar ", version: " \0"), .. new byte[1024]], "../sentinel/gnupwned");
        // A PAX linkpath on a hard link.
        var link = TestTar.PaxRecord("linkpath", "../../sentinel/secret");
        Refused([.. TestTar.Header("PaxHeaders.0/hl", 'x', link.Length), .. TestTar.Padded(link),
            .. TestTar.Header("hl", '1', 0, linkName: "benign"), .. new byte[1024]], "hl");
        // A NUL inside a PAX path would cut the name short in the kernel.
        var nul = TestTar.PaxRecord("path", "ok\0/../../sentinel/x");
        Assert.Throws<StoreException>(() => Apply([.. TestTar.Header("PaxHeaders.0/n", 'x', nul.Length), .. TestTar.Padded(nul),
            .. TestTar.Header("n", '0', 0), .. new byte[1024]]));
        Assert.Equal(_before, Outside());
    }

    [Theory]
    [InlineData(WhiteoutMode.Delete)]
    [InlineData(WhiteoutMode.Overlay)]
    public void WhiteoutTricks(WhiteoutMode mode)
    {
        // A whiteout of a symlink removes the symlink, not what it points at.
        Apply(new TestTar().Symlink("wl", _sentinel + "/secret").Symlink("wd", "../../sentinel").Build(), mode);
        Apply(new TestTar().File(".wh.wl", "").File(".wh.wd", "").Build(), mode);
        Assert.Equal(_before, Outside());
        // Whiteouts and opaque markers below a symlink pointing out.
        Contained(new TestTar().Symlink("out", "../../sentinel").File("out/.wh.secret", "").File("out/.wh..wh..opq", "").Build(), mode);
        Contained(new TestTar().Symlink("out2", _sentinel).File("out2/.wh.secret", "").File("out2/.wh..wh..opq", "").Build(), mode);
        // Whiteouts of "." and "..".
        foreach (var name in new[] { ".wh..", ".wh...", "dir/.wh..." })
            Assert.Throws<StoreException>(() => Apply(new TestTar().File(name, "").Build(), mode));
        Assert.Equal(_before, Outside());
    }

    [Fact]
    public void SymlinkLoopIsRefused()
        => Contained(new TestTar().Symlink("loop", "loop").File("loop/x").Symlink("a", "b").Symlink("b", "a").File("a/y").Build());
}
