using System.IO.Compression;
using Berth.Images.Metadata;
using Berth.Images.References;
using Berth.Images.Store;
using Berth.Oci;
using Berth.Oci.Image;

namespace Berth.Images.Tests.Store;

/// <summary>
/// <see cref="ImageStore.AddPulled"/>: a manifest as a registry served it, with blobs fetched under a lease, becomes
/// an image with its tag and RepoDigest only once its layers are unpacked; a bad layer leaves no image and no name.
/// </summary>
public sealed class PullRegistrationTests : IDisposable
{
    readonly StoreFixture _f = new();

    public void Dispose() => _f.Dispose();

    /// <summary>The busybox rootfs as a gzip blob, a config naming <paramref name="diffId"/> (its real one by default), and a Docker manifest.</summary>
    PulledManifest Fetched(LeaseHandle lease, Digest? diffId = null)
    {
        using var gz = new MemoryStream();
        using (var tar = File.OpenRead(_f.BusyboxTar))
        using (var zip = new GZipStream(gz, CompressionLevel.Fastest, leaveOpen: true))
            tar.CopyTo(zip);
        var layer = Write(lease, gz.ToArray());
        Digest realDiffId;
        using (var tar = File.OpenRead(_f.BusyboxTar))
            realDiffId = Digest.FromStream(tar);
        var config = new ImageConfig
        {
            Architecture = "amd64",
            OS = "linux",
            RootFS = new RootFS { Type = "layers", DiffIds = [diffId ?? realDiffId] },
        };
        var configBlob = Write(lease, OciImageJson.Write(config));
        var manifest = new ImageManifest
        {
            MediaType = MediaTypes.DockerManifest,
            Config = new Descriptor { MediaType = MediaTypes.DockerConfig, Digest = configBlob.Digest, Size = configBlob.Size },
            Layers = [new Descriptor { MediaType = MediaTypes.DockerLayerGzip, Digest = layer.Digest, Size = layer.Size }],
        };
        byte[] bytes = OciImageJson.WriteIndented(manifest, 3);
        return new PulledManifest(bytes, Digest.FromBytes(bytes), MediaTypes.DockerManifest, manifest);
    }

    (Digest Digest, long Size) Write(LeaseHandle lease, byte[] data)
    {
        var digest = Digest.FromBytes(data);
        using var writer = lease.OpenWriter(_f.Store.Content, $"test-{digest.Encoded}", digest, data.Length);
        if (writer is not null)
        {
            writer.Write(data);
            writer.Commit(data.Length, digest);
        }
        return (digest, data.Length);
    }

    [Fact]
    public void A_pulled_image_keeps_the_registry_s_manifest_and_gets_its_tag_and_repo_digest()
    {
        using var lease = LeaseHandle.Create(_f.Store.Metadata);
        var pulled = Fetched(lease);
        var tag = Reference.ParseNormalized("127.0.0.1:5000/pulled:v1");
        var repoDigest = tag.WithoutTagOrDigest().WithDigest(pulled.Digest);
        var extracting = new List<(int, long)>();
        var image = _f.Store.AddPulled(lease, pulled, tag, repoDigest, (i, read) => extracting.Add((i, read)));
        Assert.Equal(pulled.Digest, image.ManifestDigest);
        Assert.Equal(pulled.Bytes, _f.Store.StoredManifest(image).Bytes);
        Assert.Equal(["127.0.0.1:5000/pulled:v1"], image.RepoTags);
        Assert.Equal([$"127.0.0.1:5000/pulled@{pulled.Digest}"], image.RepoDigests);
        Assert.NotEmpty(extracting);
        Assert.Equal(image.ChainId!.Value.ToString(), _f.Store.Unpack(image));
    }

    [Fact]
    public void A_layer_that_does_not_match_its_diff_id_leaves_no_image_and_no_name()
    {
        using var lease = LeaseHandle.Create(_f.Store.Metadata);
        var pulled = Fetched(lease, Digest.FromBytes("not this layer"u8));
        var tag = Reference.ParseNormalized("127.0.0.1:5000/bad:v1");
        var e = Assert.Throws<StoreException>(() => _f.Store.AddPulled(lease, pulled, tag, tag.WithoutTagOrDigest().WithDigest(pulled.Digest)));
        Assert.Equal(StoreErrorKind.DataLoss, e.Kind);
        Assert.Null(_f.Store.TryGet("127.0.0.1:5000/bad:v1"));
        Assert.Empty(_f.Store.List());
        Assert.Empty(_f.Store.Metadata.Read(tx => tx.Images.List()));
    }

    [Fact]
    public void An_uncompressed_layer_is_gzipped_once_and_always_to_the_same_blob()
    {
        var image = _f.ImportBusybox("gzip:v1");
        var layer = image.Manifest.Layers![0];
        using var lease = LeaseHandle.Create(_f.Store.Metadata);
        var first = _f.Store.GzipLayer(lease, layer);
        Assert.Equal(MediaTypes.DockerLayerGzip, first.MediaType);
        Assert.True(first.Size < layer.Size);
        Assert.Equal(first, _f.Store.GzipLayer(lease, layer));
        using (var blob = _f.Store.Content.OpenRead(first.Digest))
        using (var tar = new GZipStream(blob, CompressionMode.Decompress))
            Assert.Equal(layer.Digest, Digest.FromStream(tar));

        // Made again (the copy collected), it is the same blob: a second push finds it in the registry.
        _f.Store.Content.Delete(first.Digest);
        Assert.Equal(first, _f.Store.GzipLayer(lease, layer));
        Assert.Equal(first, _f.Store.GzipLayer(lease, first));
    }
}
