using System.Text;
using Berth.Oci.Image;

namespace Berth.Oci.Tests.Image;

/// <summary>Manifests and indexes are checked when read, with reasons that say what to do.</summary>
public sealed class ValidationTests
{
    private const string Config = """{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2}""";

    [Theory]
    [InlineData("""{"schemaVersion":1,"name":"library/busybox","tag":"latest","fsLayers":[]}""", "$",
        "invalid document: Docker Image manifest version 2, schema 1 support has been removed; the image must be pushed again in the OCI format or as Docker Image manifest version 2, schema 2 (https://docs.docker.com/go/deprecated-image-specs/)")]
    [InlineData("""{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v1+prettyjws"}""", "$",
        "invalid document: Docker Image manifest version 2, schema 1 support has been removed; the image must be pushed again in the OCI format or as Docker Image manifest version 2, schema 2 (https://docs.docker.com/go/deprecated-image-specs/)")]
    [InlineData("""{"schemaVersion":3,"config":CONFIG}""", "$.schemaVersion", "invalid value at $.schemaVersion: unsupported schemaVersion 3, expected 2")]
    [InlineData("""{"mediaType":"application/vnd.oci.image.manifest.v1+json","config":CONFIG}""", "$.schemaVersion", "invalid value at $.schemaVersion: unsupported schemaVersion 0, expected 2")]
    [InlineData("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}""", "$.mediaType",
        "invalid value at $.mediaType: media type application/vnd.oci.image.index.v1+json is an index, not a manifest")]
    [InlineData("""{"schemaVersion":2,"mediaType":"text/html"}""", "$.mediaType", "invalid value at $.mediaType: unsupported manifest media type \"text/html\"")]
    [InlineData("""{"schemaVersion":2,"layers":[]}""", "$.config", "invalid value at $.config: missing config descriptor")]
    [InlineData("""{"schemaVersion":2,"config":{"mediaType":"application/vnd.oci.image.config.v1+json","size":2}}""", "$.config.digest", "invalid value at $.config.digest: descriptor has no digest")]
    [InlineData("""{"schemaVersion":2,"config":{"digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2}}""", "$.config.mediaType", "invalid value at $.config.mediaType: descriptor has no media type")]
    [InlineData("""{"schemaVersion":2,"config":CONFIG,"layers":[{"mediaType":"tar","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2}]}""", "$.layers[0].mediaType",
        "invalid value at $.layers[0].mediaType: invalid media type \"tar\"")]
    [InlineData("""{"schemaVersion":2,"config":CONFIG,"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":-1}]}""", "$.layers[0].size",
        "invalid value at $.layers[0].size: invalid size -1")]
    [InlineData("""{"schemaVersion":2,"config":{"mediaType":"application/vnd.oci.empty.v1+json","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2,"data":"e301"}}""", "$.config.data",
        "invalid value at $.config.data: embedded data does not match the descriptor's size and digest")]
    public void Manifests_are_validated(string json, string path, string reason)
    {
        OciFormatException error = Assert.Throws<OciFormatException>(
            () => OciImageJson.Read<ImageManifest>(Encoding.UTF8.GetBytes(json.Replace("CONFIG", Config, StringComparison.Ordinal)), "manifest sha256:1234"));

        Assert.Equal($"manifest sha256:1234: {reason}", error.Message);
        Assert.Equal(path, error.JsonPath);
    }

    [Theory]
    [InlineData("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","manifests":[]}""", "$.mediaType",
        "invalid value at $.mediaType: media type application/vnd.oci.image.manifest.v1+json is a manifest, not an index")]
    [InlineData("""{"schemaVersion":2}""", "$.manifests", "invalid value at $.manifests: missing manifests")]
    [InlineData("""{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","size":3}]}""", "$.manifests[0].digest",
        "invalid value at $.manifests[0].digest: descriptor has no digest")]
    public void Indexes_are_validated(string json, string path, string reason)
    {
        OciFormatException error = Assert.Throws<OciFormatException>(() => OciImageJson.Read<ImageIndex>(Encoding.UTF8.GetBytes(json), "index.json"));

        Assert.Equal($"index.json: {reason}", error.Message);
        Assert.Equal(path, error.JsonPath);
    }

    [Fact]
    public void An_oci_manifest_without_media_type_and_an_artifact_with_unknown_layer_types_are_accepted()
    {
        ImageManifest manifest = OciImageJson.Read<ImageManifest>(Encoding.UTF8.GetBytes(
            $$"""{"schemaVersion":2,"config":{{Config}},"layers":[{"mediaType":"application/vnd.in-toto+json","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2}]}"""), "m");

        Assert.Null(manifest.MediaType);
        Assert.False(MediaTypes.IsLayer(manifest.Layers![0].MediaType));
    }

    [Fact]
    public void Constructed_manifests_can_be_validated()
    {
        ImageManifest manifest = new() { MediaType = MediaTypes.OciManifest, Layers = [] };

        Assert.Equal("new: invalid value at $.config: missing config descriptor", Assert.Throws<OciFormatException>(() => manifest.Validate("new")).Message);
        (manifest with { Config = Descriptor.For(MediaTypes.OciEmpty, "{}"u8) }).Validate("new");
    }

    [Theory]
    [InlineData("application/vnd.oci.image.manifest.v1+json", true)]
    [InlineData("application/json; charset=utf-8", true)]
    [InlineData("application/vnd.docker.image.rootfs.diff.tar.gzip", true)]
    [InlineData("application", false)]
    [InlineData("/json", false)]
    [InlineData("application/", false)]
    [InlineData("appli cation/json", false)]
    [InlineData("application/-json", false)]
    [InlineData("", false)]
    public void Media_types_are_checked_as_rfc_6838_names(string mediaType, bool valid)
    {
        Assert.Equal(valid, MediaTypes.IsValid(mediaType));
    }

    [Theory]
    [InlineData(MediaTypes.OciLayer, LayerCompression.None)]
    [InlineData(MediaTypes.DockerLayer, LayerCompression.None)]
    [InlineData(MediaTypes.OciLayerGzip, LayerCompression.Gzip)]
    [InlineData(MediaTypes.DockerLayerGzip, LayerCompression.Gzip)]
    [InlineData(MediaTypes.DockerForeignLayerGzip, LayerCompression.Gzip)]
    [InlineData(MediaTypes.OciLayerZstd, LayerCompression.Zstd)]
    [InlineData(MediaTypes.OciLayerNonDistributableZstd, LayerCompression.Zstd)]
    [InlineData(MediaTypes.OciConfig, null)]
    public void Layer_compression_follows_the_media_type(string mediaType, LayerCompression? compression)
    {
        Assert.Equal(compression, MediaTypes.CompressionOf(mediaType));
        Assert.Equal(compression is not null, MediaTypes.IsLayer(mediaType));
    }
}
