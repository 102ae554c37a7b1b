using Berth.Images.Archive;
using Berth.Images.Tests.Layers;
using Berth.Oci;
using static Berth.Images.Tests.Archive.TestImages;

namespace Berth.Images.Tests.Archive;

/// <summary>ArchiveWriter then ArchiveExtractor and ArchiveReader, in both formats: what goes in comes out.</summary>
public sealed class ArchiveRoundTripTests : IDisposable
{
    readonly ScratchDir _scratch = new();

    static readonly byte[] Base = Layer("etc/os-release", "bin/tool");
    static readonly byte[] Top = Layer("app/main", "app/data.txt");
    static readonly byte[] Other = Layer("srv/other");

    // Two images sharing the base layer, the second with two tags.
    static readonly ArchiveImage First = Image([Base, Top], ["berth-test/app:v1"]);
    static readonly ArchiveImage Second = Image([Base, Other], ["berth-test/other:latest", "localhost:5000/x/other:2"], cmd: "/srv/other");

    public void Dispose() => _scratch.Dispose();

    IReadOnlyList<LoadedImage> RoundTrip(ArchiveFormat format, string name, params ArchiveImage[] images)
    {
        var bytes = Write(images, format);
        string directory = _scratch.File(name);
        ArchiveExtractor.Extract(new MemoryStream(bytes), directory);
        return ArchiveReader.Read(directory);
    }

    [Theory]
    [InlineData(ArchiveFormat.Docker)]
    [InlineData(ArchiveFormat.OciLayout)]
    public void Images_come_back_with_their_configs_layers_and_tags(ArchiveFormat format)
    {
        var loaded = RoundTrip(format, "out", First, Second);

        Assert.Equal(2, loaded.Count);
        foreach (var (written, read) in new[] { First, Second }.Zip(loaded))
        {
            Assert.Equal(written.ConfigDigest, read.ConfigDigest);
            Assert.Equal(written.Config.ToArray(), read.Config);
            Assert.Equal(written.RepoTags, read.RepoTags);
            Assert.Equal(written.Layers.Select(l => l.DiffId), read.Layers.Select(l => l.Digest!.Value));
            foreach (var layer in read.Layers)
            {
                Assert.StartsWith(_scratch.File("out") + "/blobs/sha256/", layer.Path);
                Assert.Equal(layer.Digest.ToString(), Sha256(layer.Path));
            }
        }
        Assert.Equal(format == ArchiveFormat.Docker ? Berth.Oci.Image.MediaTypes.DockerLayer : Berth.Oci.Image.MediaTypes.OciLayer, loaded[0].Layers[0].MediaType);
    }

    [Fact]
    public void A_shared_layer_is_written_once_and_the_layout_is_dockers()
    {
        string file = _scratch.File("two.tar");
        File.WriteAllBytes(file, Write([First, Second], ArchiveFormat.Docker));
        var listing = Listing(file);

        // 3 distinct layers, 2 configs, 2 OCI manifests.
        string[] blobs = [.. listing.Select(l => l.Split(' ')[^1]).Where(n => n.StartsWith("blobs/sha256/", StringComparison.Ordinal) && n.Length > 13)];
        Assert.Equal(7, blobs.Length);
        Assert.Equal(blobs.Order(StringComparer.Ordinal), blobs);
        Assert.Single(blobs, $"blobs/sha256/{Digest.FromBytes(Base).Encoded}");
        string[] names = [.. listing.Select(l => l.Split(' ')[^1])];
        Assert.Equal(["blobs/", "blobs/sha256/", .. blobs, "index.json", "manifest.json", "oci-layout", "repositories"], names);
        Assert.All(listing, l => Assert.Contains(" 0/0 ", " " + l.Split(' ')[1] + " "));
        Assert.All(listing, l => Assert.Matches(l.EndsWith('/') ? "^drwxr-xr-x " : "^-rw-r--r-- ", l));

        string manifest = Sh.Ok($"tar -xOf '{file}' manifest.json");
        Assert.Equal(
            $"[{{\"Config\":\"blobs/sha256/{First.ConfigDigest.Encoded}\",\"RepoTags\":[\"berth-test/app:v1\"]," +
            $"\"Layers\":[\"blobs/sha256/{Digest.FromBytes(Base).Encoded}\",\"blobs/sha256/{Digest.FromBytes(Top).Encoded}\"]}}," +
            $"{{\"Config\":\"blobs/sha256/{Second.ConfigDigest.Encoded}\",\"RepoTags\":[\"berth-test/other:latest\",\"localhost:5000/x/other:2\"]," +
            $"\"Layers\":[\"blobs/sha256/{Digest.FromBytes(Base).Encoded}\",\"blobs/sha256/{Digest.FromBytes(Other).Encoded}\"]}}]\n",
            manifest);
        Assert.Equal(
            $"{{\"berth-test/app\":{{\"v1\":\"{Digest.FromBytes(Top).Encoded}\"}},\"berth-test/other\":{{\"latest\":\"{Digest.FromBytes(Other).Encoded}\"}}," +
            $"\"localhost:5000/x/other\":{{\"2\":\"{Digest.FromBytes(Other).Encoded}\"}}}}\n",
            Sh.Ok($"tar -xOf '{file}' repositories"));
        Assert.Equal("{\"imageLayoutVersion\": \"1.0.0\"}", Sh.Ok($"tar -xOf '{file}' oci-layout"));
        string index = Sh.Ok($"tar -xOf '{file}' index.json");
        Assert.Contains("\"annotations\":{\"io.containerd.image.name\":\"docker.io/berth-test/app:v1\",\"org.opencontainers.image.ref.name\":\"v1\"}", index);
        Assert.Contains("\"io.containerd.image.name\":\"localhost:5000/x/other:2\"", index);
    }

    [Fact]
    public void The_oci_layout_format_has_only_the_layout_files()
    {
        string file = _scratch.File("oci.tar");
        File.WriteAllBytes(file, Write([First], ArchiveFormat.OciLayout));
        string[] names = [.. Listing(file).Select(l => l.Split(' ')[^1])];
        Assert.Equal(["index.json", "oci-layout"], names.Where(n => !n.StartsWith("blobs/", StringComparison.Ordinal)));
        Assert.Equal(2 + 2 + 2, names.Length - 2); // dirs, two layers, config, manifest
    }

    [Theory]
    [InlineData(ArchiveFormat.Docker)]
    [InlineData(ArchiveFormat.OciLayout)]
    public void The_same_input_gives_the_same_bytes(ArchiveFormat format)
    {
        var a = Write([First, Second], format);
        var b = Write([Image([Base, Top], ["berth-test/app:v1"]), Image([Base, Other], ["berth-test/other:latest", "localhost:5000/x/other:2"], cmd: "/srv/other")], format);
        Assert.Equal(Digest.FromBytes(a), Digest.FromBytes(b));
    }

    [Fact]
    public void An_untagged_image_is_listed_with_its_platform_and_comes_back_without_tags()
    {
        var untagged = Image([Other], []);
        string file = _scratch.File("untagged.tar");
        File.WriteAllBytes(file, Write([untagged], ArchiveFormat.Docker));
        Assert.Contains("\"RepoTags\":null", Sh.Ok($"tar -xOf '{file}' manifest.json"));
        Assert.Contains($"\"platform\":{{\"architecture\":\"{Berth.Oci.Image.Platform.Host.Architecture}\",\"os\":\"linux\"}}", Sh.Ok($"tar -xOf '{file}' index.json"));
        Assert.Empty(Sh.Ok($"tar -tf '{file}' repositories 2>/dev/null || true"));

        var loaded = RoundTrip(ArchiveFormat.OciLayout, "untagged", untagged);
        Assert.Empty(Assert.Single(loaded).RepoTags);
    }

    [Fact]
    public void A_layer_that_is_not_its_diff_id_fails_the_write()
    {
        var layer = ToArchiveLayer(Base) with { OpenUncompressedTar = () => new MemoryStream(Top[..Base.Length]) };
        var image = Image([Base], ["berth-test/bad:1"]) with { Layers = [layer] };
        var e = Assert.Throws<StoreException>(() => Write([image], ArchiveFormat.Docker));
        Assert.Equal(StoreErrorKind.DataLoss, e.Kind);
        Assert.Contains("read back with digest", e.Message);

        var shortLayer = ToArchiveLayer(Base) with { Size = Base.Length + 1 };
        e = Assert.Throws<StoreException>(() => Write([Image([Base], []) with { Layers = [shortLayer] }], ArchiveFormat.Docker));
        Assert.Contains("ended 1 bytes before its size", e.Message);
    }

    [Fact]
    public void Inputs_that_do_not_fit_together_are_refused_before_writing()
    {
        var wrongDigest = First with { ConfigDigest = Digest.FromBytes(Top) };
        Assert.Contains("has digest", Assert.Throws<StoreException>(() => Write([wrongDigest], ArchiveFormat.Docker)).Message);
        var wrongLayers = First with { Layers = [ToArchiveLayer(Top), ToArchiveLayer(Base)] };
        Assert.Contains("not its rootfs.diff_ids", Assert.Throws<StoreException>(() => Write([wrongLayers], ArchiveFormat.Docker)).Message);
        var digestTag = First with { RepoTags = [$"berth-test/app@{Digest.FromBytes(Top)}"] };
        Assert.Contains("name:tag", Assert.Throws<StoreException>(() => Write([digestTag], ArchiveFormat.Docker)).Message);
        Assert.Contains("two images", Assert.Throws<StoreException>(() => Write([First, Second with { RepoTags = ["berth-test/app:v1"] }], ArchiveFormat.Docker)).Message);
    }
}
