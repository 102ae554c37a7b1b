using System.Text;
using Berth.Oci.Image;

namespace Berth.Oci.Tests.Image;

/// <summary>
/// Writing what was read gives the producer's bytes: the model holds every field these documents use, in the
/// producer's order, with Go's omitempty and escaping.
/// </summary>
public sealed class RoundTripTests
{
    [Theory]
    [InlineData(nameof(ImageFixtures.BusyboxConfigAmd64))]
    [InlineData(nameof(ImageFixtures.BusyboxConfigArm64))]
    [InlineData(nameof(ImageFixtures.AppConfig))]
    public void Configs_are_written_back_byte_for_byte(string fixture)
    {
        byte[] original = Fixture(fixture);

        ImageConfig config = OciImageJson.Read<ImageConfig>(original, fixture);

        Assert.Equal(Encoding.UTF8.GetString(original), Encoding.UTF8.GetString(OciImageJson.Write(config)));
    }

    [Theory]
    [InlineData(nameof(ImageFixtures.DockerManifestAmd64))]
    [InlineData(nameof(ImageFixtures.DockerManifestArm64))]
    public void Docker_manifests_are_written_back_with_three_spaces_and_size_before_digest(string fixture)
    {
        byte[] original = Fixture(fixture);

        ImageManifest manifest = OciImageJson.Read<ImageManifest>(original, fixture);

        Assert.Equal(Encoding.UTF8.GetString(original), Encoding.UTF8.GetString(OciImageJson.WriteIndented(manifest, 3)));
    }

    [Fact]
    public void Docker_manifest_list_is_written_back()
    {
        byte[] original = Fixture(nameof(ImageFixtures.DockerManifestList));

        ImageIndex list = OciImageJson.Read<ImageIndex>(original, "list");

        Assert.Equal(ImageFixtures.DockerManifestList, Encoding.UTF8.GetString(OciImageJson.WriteIndented(list, 3)));
    }

    [Theory]
    [InlineData(nameof(ImageFixtures.OciManifestAmd64))]
    [InlineData(nameof(ImageFixtures.OciAttestationManifest))]
    [InlineData(nameof(ImageFixtures.OciArtifactManifest))]
    public void Oci_manifests_are_written_back_as_buildkit_writes_them(string fixture)
    {
        byte[] original = Fixture(fixture);

        ImageManifest manifest = OciImageJson.Read<ImageManifest>(original, fixture);

        Assert.Equal(Encoding.UTF8.GetString(original), Encoding.UTF8.GetString(OciImageJson.WriteIndented(manifest, 2)));
    }

    [Fact]
    public void Oci_index_with_an_attestation_is_written_back()
    {
        ImageIndex index = OciImageJson.Read<ImageIndex>(Fixture(nameof(ImageFixtures.OciIndex)), "index");

        Assert.Equal(ImageFixtures.OciIndex, Encoding.UTF8.GetString(OciImageJson.WriteIndented(index, 2)));
    }

    [Fact]
    public void A_config_in_go_struct_order_is_read_but_written_in_dockers_order_so_its_id_comes_from_its_bytes()
    {
        // BuildKit marshals attestation configs straight from ocispec.Image, whose order is not sorted.
        byte[] original = Fixture(nameof(ImageFixtures.AttestationConfig));

        ImageDocument<ImageConfig> document = OciImageJson.ReadDocument<ImageConfig>(original, "attestation config");
        byte[] rewritten = OciImageJson.Write(document.Value);

        Assert.Equal("sha256:85660ccd0b7c2514918abbd0762be35bfbfdc68547c54b09221edab272859b4d", document.Digest.ToString());
        Assert.NotEqual(document.Digest, Digest.FromBytes(rewritten));
        Assert.StartsWith("""{"architecture":"unknown","config":{},"os":"unknown","rootfs":""", Encoding.UTF8.GetString(rewritten));
    }

    [Fact]
    public void Compact_output_is_go_marshal()
    {
        ImageManifest manifest = OciImageJson.Read<ImageManifest>(Fixture(nameof(ImageFixtures.DockerManifestAmd64)), "m");

        Assert.Equal(
            """{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":380,"digest":"sha256:6747d531b835de31cc3da0d9aaf0fb825692af9d6bc29881462085f5b295bb5e"},"layers":[{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","size":2152262,"digest":"sha256:506fc6365cdb0494410af2acac8bab771bfa0e4c39de1006d2c161a8c338ef7d"}]}""",
            Encoding.UTF8.GetString(OciImageJson.Write(manifest)));
    }

    [Fact]
    public void A_legacy_docker_config_keeps_its_legacy_fields_but_not_dead_container_fields()
    {
        ImageConfig config = OciImageJson.Read<ImageConfig>(Fixture(nameof(ImageFixtures.LegacyDockerConfig)), "config");
        string written = Encoding.UTF8.GetString(OciImageJson.Write(config));

        Assert.Equal("20.10.23", config.DockerVersion);
        Assert.Equal("b0d4f4e9c6a1d1b7e0f2e6a0c9d8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0", config.Container);
        Assert.Equal("b0d4f4e9c6a1", config.ContainerConfig!.Value.GetProperty("Hostname").GetString());
        // container_config is kept as written (nulls and all); config keeps only what an image carries.
        Assert.Contains("""
            "container_config":{"Hostname":"b0d4f4e9c6a1","Domainname":"","User":"","AttachStdin":false,"AttachStdout":false,"AttachStderr":false,"Tty":false,"OpenStdin":false,"StdinOnce":false,"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],"Cmd":["/bin/sh","-c","#(nop) ","CMD [\"sh\"]"],"Image":"sha256:3c0ff84b5e8e0d4c0b4e7b0a8f5b0c1d2e3f405162738495a6b7c8d9e0f1a2b3","Volumes":null,"WorkingDir":"","Entrypoint":null,"OnBuild":null,"Labels":{}}
            """, written);
        Assert.StartsWith("""{"architecture":"amd64","config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],"Cmd":["sh"]},"container":""", written);
        Assert.Contains(""","created":"2023-07-18T23:19:33.655005962Z","docker_version":"20.10.23",""", written);
    }

    [Fact]
    public void Maps_and_sets_are_written_in_key_order_whatever_the_dictionary_order()
    {
        ImageConfig config = new()
        {
            Architecture = "amd64",
            OS = "linux",
            Config = new ExecutionConfig
            {
                ExposedPorts = new HashSet<string> { "8080/tcp", "443/tcp", "53/udp" },
                Labels = new Dictionary<string, string> { ["z"] = "1", ["a"] = "2", ["é"] = "3", ["😀"] = "4", ["\uffff"] = "5" },
            },
        };

        Assert.Equal(
            "{\"architecture\":\"amd64\",\"config\":{\"ExposedPorts\":{\"443/tcp\":{},\"53/udp\":{},\"8080/tcp\":{}},"
            + "\"Labels\":{\"a\":\"2\",\"z\":\"1\",\"é\":\"3\",\"\uffff\":\"5\",\"😀\":\"4\"}},\"os\":\"linux\"}",
            Encoding.UTF8.GetString(OciImageJson.Write(config)));
    }

    internal static byte[] Fixture(string name) =>
        Encoding.UTF8.GetBytes((string)typeof(ImageFixtures).GetField(name)!.GetRawConstantValue()!);
}
