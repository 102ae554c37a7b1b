using Berth.Engine.Archive;
using Berth.Engine.Containers;
using Berth.Engine.Model;
using Berth.Linux;

namespace Berth.Engine.Tests.Archive;

/// <summary>
/// Paths in a container's root as docker cp meets them: symlinks resolved inside the root whatever they say, Docker's
/// path stat (name, Go file mode, link target), and where an extraction may write.
/// </summary>
public sealed class ContainerPathTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("berth-test-archive-").FullName;
    readonly ContainerRoot _root;

    public ContainerPathTests()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "etc"));
        Directory.CreateDirectory(Path.Combine(_dir, "tmp/deep"));
        File.WriteAllText(Path.Combine(_dir, "etc/passwd"), "root:x:0:0::/:/bin/sh\nweb:x:1000:1001::/:/bin/sh\n");
        File.CreateSymbolicLink(Path.Combine(_dir, "tmp/up"), "../../../../../etc");
        File.CreateSymbolicLink(Path.Combine(_dir, "tmp/abs"), "/etc");
        File.CreateSymbolicLink(Path.Combine(_dir, "tmp/chain"), "abs/passwd");
        File.CreateSymbolicLink(Path.Combine(_dir, "tmp/broken"), "/nowhere/file");
        File.CreateSymbolicLink(Path.Combine(_dir, "tmp/loop"), "loop");
        _root = ContainerRoot.At(_dir);
    }

    public void Dispose()
    {
        _root.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Theory]
    [InlineData("/tmp/up/passwd", "/etc/passwd")]
    [InlineData("/tmp/abs/passwd", "/etc/passwd")]
    [InlineData("/tmp/chain", "/etc/passwd")]
    [InlineData("/tmp/deep/../../tmp/up", "/etc")]
    [InlineData("/tmp/broken", "/nowhere/file")]
    [InlineData("/tmp/missing/../abs", "/etc")]
    [InlineData("/", "/")]
    public void Symlinks_resolve_inside_the_root(string path, string expected) => Assert.Equal(expected, ScopedSymlinks.Evaluate(_root, path));

    [Fact]
    public void A_symlink_loop_is_an_error_not_a_hang()
    {
        var e = Assert.Throws<LinuxException>(() => ScopedSymlinks.Evaluate(_root, "/tmp/loop"));
        Assert.Equal(Errno.ELOOP, e.Errno);
    }

    [Fact]
    public void A_stat_names_the_last_element_with_go_s_mode_and_the_link_s_end()
    {
        var link = PathStats.Stat(_root, "/tmp/up");
        Assert.Equal(("up", GoFileMode.Symlink | 0x1FF, "/etc"), (link.Name, link.Mode, link.LinkTarget));
        // A trailing slash follows the symlink, as lstat(2) does.
        var followed = PathStats.Stat(_root, "/tmp/up/");
        Assert.Equal(("up", true, ""), (followed.Name, GoFileMode.IsDir(followed.Mode), followed.LinkTarget));
        Assert.Equal(".", PathStats.Stat(_root, "/etc/.").Name);
        Assert.Equal("/", PathStats.Stat(_root, "/").Name);
        Assert.Equal(Errno.ENOENT, Assert.Throws<LinuxException>(() => PathStats.Stat(_root, "/tmp/nothing")).Errno);
        Assert.Equal(Errno.ENOTDIR, Assert.Throws<LinuxException>(() => PathStats.Stat(_root, "/etc/passwd/")).Errno);
    }

    [Fact]
    public void Go_s_file_mode_carries_the_type_and_special_bits_high()
    {
        Assert.Equal(GoFileMode.Dir | 0x1ED, GoFileMode.FromStat(new FileStat { Mode = Files.S_IFDIR | 0x1ED }));
        Assert.Equal(GoFileMode.Device | GoFileMode.CharDevice | 0x1B6, GoFileMode.FromStat(new FileStat { Mode = Files.S_IFCHR | 0x1B6 }));
        Assert.Equal(GoFileMode.Setuid | GoFileMode.Sticky | 0x1ED, GoFileMode.FromStat(new FileStat { Mode = Files.S_IFREG | 0xA00 | 0x1ED }));
        Assert.Equal("got a device", GoFileMode.NotWritableReason(GoFileMode.Device));
        Assert.Null(GoFileMode.NotWritableReason(GoFileMode.Dir));
    }

    [Fact]
    public void Files_of_the_root_are_read_inside_it()
    {
        Assert.Equal(2, _root.ReadLines("/etc/passwd").Count);
        Assert.Empty(_root.ReadLines("/etc/group"));
        var user = ContainerUsers.Resolve(_root.ReadLines, "web", null);
        Assert.Equal((1000u, 1001u), (user.Uid, user.Gid));
    }

    [Theory]
    [InlineData("/data/x", null)]
    [InlineData("/data/ro/x", "mounted volume is marked read-only")]
    [InlineData("/data/ro/rw/x", null)]
    [InlineData("/database", "container rootfs is marked read-only")]
    [InlineData("/tmp", "container rootfs is marked read-only")]
    public void Writes_go_to_read_write_binds_only_on_a_read_only_root(string path, string? refusal)
    {
        var host = new HostConfig
        {
            ReadonlyRootfs = true,
            Binds = ["/srv/data:/data", "/srv/ro:/data/ro:ro"],
            Mounts = [new ContainerMount { Type = "bind", Source = "/srv/rw", Target = "/data/ro/rw" }],
        };
        if (refusal is null)
            WritablePaths.Check(host, path);
        else
            Assert.Equal(refusal, Assert.Throws<EngineException>(() => WritablePaths.Check(host, path)).Message);
    }
}
