using System.Text;
using Berth.Images.Layers;
using Berth.Images.Tests.Layers;

namespace Berth.Images.Tests.Copy;

/// <summary>
/// LayerApplier as docker cp's Untar: an ordinary archive (no whiteouts), Docker's NoOverwriteDirNonDir with its
/// words, a forced owner, and entries renamed on the way in.
/// </summary>
public sealed class CopyExtractionTests : IDisposable
{
    readonly ScratchDir _scratch = new();

    public void Dispose() => _scratch.Dispose();

    static ApplyOptions Untar(bool noOverwrite = false, (uint, uint)? owner = null, (string, string)? rename = null)
        => new() { Whiteouts = WhiteoutMode.None, NoOverwriteDirNonDir = noOverwrite, Owner = owner, Rename = rename };

    [Fact]
    public void Whiteout_names_are_plain_files_and_the_root_entry_leaves_the_target_alone()
    {
        string target = _scratch.Dir("t");
        File.WriteAllText(Path.Combine(target, "keep"), "keep");
        var tar = new TestTar().Dir("./", mode: 0x1C0).File(".wh.keep", "").File(".wh..wh..opq", "").Build();
        LayerApplier.Apply(new MemoryStream(tar), target, Untar());
        Assert.True(File.Exists(Path.Combine(target, "keep")));
        Assert.True(File.Exists(Path.Combine(target, ".wh.keep")));
        Assert.True(File.Exists(Path.Combine(target, ".wh..wh..opq")));
        Assert.NotEqual(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(target));
    }

    [Fact]
    public void No_overwrite_refuses_a_file_for_a_directory_and_a_directory_for_a_file_in_docker_s_words()
    {
        string target = _scratch.Dir("t");
        Directory.CreateDirectory(Path.Combine(target, "d"));
        File.WriteAllText(Path.Combine(target, "f"), "f");
        var file = Assert.Throws<StoreException>(() => LayerApplier.Apply(new MemoryStream(new TestTar().File("d").Build()), target, Untar(noOverwrite: true)));
        Assert.Equal($"cannot overwrite directory \"{target}/d\" with non-directory \"{target}\"", file.Message);
        var dir = Assert.Throws<StoreException>(() => LayerApplier.Apply(new MemoryStream(new TestTar().Dir("f/").Build()), target, Untar(noOverwrite: true)));
        Assert.Equal($"cannot overwrite non-directory \"{target}/f\" with directory \"{target}\"", dir.Message);
        Assert.True(Directory.Exists(Path.Combine(target, "d")));
        Assert.Equal("f", File.ReadAllText(Path.Combine(target, "f")));

        // Without the option, Docker's Untar replaces either.
        LayerApplier.Apply(new MemoryStream(new TestTar().File("d", "now a file").Build()), target, Untar());
        Assert.Equal("now a file", File.ReadAllText(Path.Combine(target, "d")));
    }

    [Fact]
    public void A_forced_owner_wins_over_the_archive_s()
    {
        string target = _scratch.Dir("t");
        var tar = new TestTar().Dir("d/").File("d/f", "x", e => { e.Uid = 7; e.Gid = 8; }).Build();
        LayerApplier.Apply(new MemoryStream(tar), target, Untar(owner: (1234, 5678)));
        foreach (string path in new[] { "d", "d/f" })
        {
            Assert.Equal(0, Berth.Linux.FilesAt.Stat(-100, Encoding.UTF8.GetBytes(Path.Combine(target, path)), false, out var stat));
            Assert.Equal((1234u, 5678u), (stat.Uid, stat.Gid));
        }
    }

    [Fact]
    public void Entries_and_hard_links_are_renamed_on_the_way_in()
    {
        string target = _scratch.Dir("t");
        var tar = new TestTar().Dir("etc/").File("etc/passwd", "root").HardLink("etc/again", "etc/passwd").Build();
        LayerApplier.Apply(new MemoryStream(tar), target, Untar(rename: ("etc", "copy")));
        Assert.Equal("root", File.ReadAllText(Path.Combine(target, "copy/again")));
        Assert.False(Directory.Exists(Path.Combine(target, "etc")));

        // An empty name to replace prefixes every entry (a tar of "/" renamed).
        string second = _scratch.Dir("t2");
        LayerApplier.Apply(new MemoryStream(new TestTar().Dir("/").File("/a", "a").Build()), second, Untar(rename: ("", "root")));
        Assert.Equal("a", File.ReadAllText(Path.Combine(second, "root/a")));
    }
}
