using System.Text;
using Berth.Images.Archive;
using Berth.Images.Layers;
using Berth.Images.Tests.Layers;
using Berth.Oci;
using static Berth.Images.Tests.Archive.TestImages;

namespace Berth.Images.Tests.Archive;

/// <summary>
/// Archives and archive documents that try to reach outside the directory, or lie about their content: each is
/// refused with a StoreException that says why, and nothing beside the directory changes.
/// </summary>
public sealed class HostileArchiveTests : IDisposable
{
    readonly ScratchDir _scratch = new();
    readonly string _target;

    public HostileArchiveTests()
    {
        _target = _scratch.File("work/archive");
        Directory.CreateDirectory(_scratch.File("work"));
        File.WriteAllText(_scratch.File("work/secret"), "s");
    }

    public void Dispose() => _scratch.Dispose();

    /// <summary>Everything in the scratch directory but the target (the place every attack aims at).</summary>
    string Outside() => Sh.Ok($"cd '{_scratch.Path}' && find . -path ./work/archive -prune -o -printf '%p %y %s\\n' | sort");

    StoreException Refused(byte[] tar, string expected)
    {
        string before = Outside();
        var e = Assert.Throws<StoreException>(() => ArchiveExtractor.Extract(new MemoryStream(tar), _target));
        Assert.Equal(StoreErrorKind.InvalidArgument, e.Kind);
        Assert.Contains(expected, e.Message);
        Assert.StartsWith("invalid archive: ", e.Message);
        Assert.Equal(before, Outside());
        Assert.False(Directory.Exists(_target), "a failed extraction removes the directory it made");
        return e;
    }

    [Fact]
    public void Names_that_leave_the_directory_are_refused()
    {
        Refused(new TestTar().File("../x").Build(), "entry \"../x\" has a \"..\" component");
        Refused(new TestTar().File("a/../../secret", "overwritten").Build(), "has a \"..\" component");
        Refused(new TestTar().File("/tmp/berth-test-absolute").Build(), "has an absolute name");
        Assert.False(File.Exists("/tmp/berth-test-absolute"));
        Assert.Equal("s", File.ReadAllText(_scratch.File("work/secret")));
    }

    [Fact]
    public void Links_devices_and_fifos_are_refused()
    {
        Refused(new TestTar().Symlink("evil", "/etc").File("evil/passwd").Build(), "entry \"evil\" is a symbolic link to \"/etc\"");
        Refused(new TestTar().File("a").HardLink("b", "a").Build(), "is a hard link to \"a\"");
        Refused(new TestTar().Raw(TarEntryType.CharDevice, "null", e => { e.DevMajor = 1; e.DevMinor = 3; }).Build(), "is a character device");
        Refused(new TestTar().Raw(TarEntryType.Fifo, "pipe", _ => { }).Build(), "is a fifo");
        // The legacy layer link has one shape only; a look-alike pointing elsewhere is refused.
        string id = new('a', 64);
        Refused(new TestTar().Symlink($"{id}/layer.tar", "../../../etc/passwd").Build(), "is a symbolic link");
    }

    [Fact]
    public void Duplicates_and_files_in_the_way_of_directories_are_refused()
    {
        Refused(new TestTar().File("manifest.json").File("manifest.json").Build(), "entry \"manifest.json\" appears twice");
        Refused(new TestTar().File("blobs").File("blobs/sha256/x").Build(), "needs \"blobs\" to be a directory");
    }

    [Fact]
    public void A_truncated_or_corrupt_archive_is_refused()
    {
        var whole = Write([Image([Layer("a", "b")], ["berth-test/t:1"])], ArchiveFormat.Docker);
        Refused(whole[..1300], "truncated");
        var corrupt = (byte[])whole.Clone();
        corrupt[148] ^= 0x01; // the first header's checksum
        Refused(corrupt, "invalid tar header");
    }

    [Fact]
    public void Dockers_legacy_layer_link_is_kept_and_resolves_inside()
    {
        string a = new('a', 64), b = new('b', 64);
        var tar = new TestTar().Dir($"{a}/").File($"{a}/layer.tar", "layer").Dir($"{b}/").Symlink($"{b}/layer.tar", $"../{a}/layer.tar").Build();
        ArchiveExtractor.Extract(new MemoryStream(tar), _target);
        Assert.Equal("layer", File.ReadAllText(Path.Combine(_target, b, "layer.tar")));
    }

    [Fact]
    public void Extracting_into_a_directory_that_is_not_empty_is_refused()
    {
        Directory.CreateDirectory(_target);
        File.WriteAllText(Path.Combine(_target, "x"), "x");
        var e = Assert.Throws<StoreException>(() => ArchiveExtractor.Extract(new MemoryStream(new TestTar().File("y").Build()), _target));
        Assert.Contains("is not empty", e.Message);
    }

    // The reader, on directories laid out by hand.

    string Layout(params (string Name, string Content)[] files)
    {
        Directory.CreateDirectory(_target);
        foreach (var (name, content) in files)
        {
            string path = Path.Combine(_target, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content);
        }
        return _target;
    }

    static StoreException ReadFails(string directory, StoreErrorKind kind, string expected)
    {
        var e = Assert.Throws<StoreException>(() => ArchiveReader.Read(directory));
        Assert.Equal(kind, e.Kind);
        Assert.Contains(expected, e.Message);
        return e;
    }

    static (string Name, string Content) Config(out Digest digest, int layers = 1)
    {
        var config = Encoding.UTF8.GetString(TestImages.Config(Enumerable.Range(0, layers).Select(i => new byte[] { (byte)i })));
        digest = Digest.FromBytes(Encoding.UTF8.GetBytes(config));
        return ($"{digest.Encoded}.json", config);
    }

    [Fact]
    public void Manifest_paths_outside_the_directory_are_refused()
    {
        var config = Config(out _);
        var dir = Layout(config, ("manifest.json", $"[{{\"Config\":\"{config.Name}\",\"RepoTags\":[\"a:b\"],\"Layers\":[\"../../etc/passwd\"]}}]"));
        ReadFails(dir, StoreErrorKind.InvalidArgument, "manifest.json names \"../../etc/passwd\", which is outside the archive");

        File.WriteAllText(Path.Combine(dir, "manifest.json"), "[{\"Config\":\"/etc/passwd\",\"Layers\":[]}]");
        ReadFails(dir, StoreErrorKind.InvalidArgument, "names \"/etc/passwd\", which is outside the archive");

        // A symlink in the directory resolves inside it (as if the directory were "/"): /etc/passwd is not there.
        File.CreateSymbolicLink(Path.Combine(dir, "layer.tar"), "/etc/passwd");
        File.WriteAllText(Path.Combine(dir, "manifest.json"), $"[{{\"Config\":\"{config.Name}\",\"Layers\":[\"layer.tar\"]}}]");
        ReadFails(dir, StoreErrorKind.InvalidArgument, "manifest.json names \"layer.tar\", which the archive does not have");
    }

    [Fact]
    public void Missing_files_and_wrong_digests_are_refused()
    {
        var config = Config(out var digest);
        var dir = Layout(config, ("manifest.json", $"[{{\"Config\":\"{config.Name}\",\"RepoTags\":null,\"Layers\":[\"{new string('c', 64)}/layer.tar\"]}}]"));
        ReadFails(dir, StoreErrorKind.InvalidArgument, $"manifest.json names \"{new string('c', 64)}/layer.tar\", which the archive does not have");

        File.WriteAllText(Path.Combine(dir, config.Name), config.Content.Replace("/bin/sh", "/bin/xx"));
        ReadFails(dir, StoreErrorKind.DataLoss, $"\"{config.Name}\" named by manifest.json has digest");

        File.WriteAllText(Path.Combine(dir, config.Name), config.Content);
        File.WriteAllText(Path.Combine(dir, "manifest.json"), $"[{{\"Config\":\"{config.Name}\",\"Layers\":[]}}]");
        ReadFails(dir, StoreErrorKind.InvalidArgument, "layers length mismatch: expected 1, got 0");

        File.WriteAllText(Path.Combine(dir, "manifest.json"), $"[{{\"Config\":\"{config.Name}\",\"RepoTags\":[\"UPPER:case\"],\"Layers\":[\"{config.Name}\"]}}]");
        ReadFails(dir, StoreErrorKind.InvalidArgument, "invalid tag \"UPPER:case\"");
        Assert.NotEqual(default, digest);
    }

    [Fact]
    public void A_directory_that_is_no_archive_says_so()
    {
        ReadFails(Layout(("something", "x")), StoreErrorKind.InvalidArgument, "invalid archive: manifest.json not found");
        File.WriteAllText(Path.Combine(_target, "manifest.json"), "{\"not\":\"a list\"}");
        ReadFails(_target, StoreErrorKind.InvalidArgument, "manifest.json: not a JSON array");
    }

    [Fact]
    public void Oci_blobs_that_do_not_match_their_descriptors_are_refused()
    {
        var image = Image([Layer("a")], ["berth-test/o:1"]);
        ArchiveExtractor.Extract(new MemoryStream(Write([image], ArchiveFormat.OciLayout)), _target);
        string config = Path.Combine(_target, "blobs/sha256", image.ConfigDigest.Encoded);
        File.WriteAllText(config, File.ReadAllText(config).Replace("/bin/sh", "/bin/xx"));
        ReadFails(_target, StoreErrorKind.DataLoss, $"\"blobs/sha256/{image.ConfigDigest.Encoded}\" named by manifest sha256:");

        File.Delete(config);
        ReadFails(_target, StoreErrorKind.InvalidArgument, $"names \"blobs/sha256/{image.ConfigDigest.Encoded}\", which the archive does not have");
    }

    [Fact]
    public void An_oci_layout_without_the_platform_says_which_platform()
    {
        var image = Image([Layer("a")], []);
        ArchiveExtractor.Extract(new MemoryStream(Write([image], ArchiveFormat.OciLayout)), _target);
        var e = Assert.Throws<StoreException>(() => ArchiveReader.Read(_target, new Berth.Oci.Image.Platform { OS = "linux", Architecture = "s390x" }));
        Assert.Equal(StoreErrorKind.NotFound, e.Kind);
        Assert.Contains("no image for platform linux/s390x", e.Message);
    }
}
