using System.Text;
using Berth.Oci.Image;

namespace Berth.Oci.Tests.Image;

/// <summary>Digests come from stored bytes: image IDs, manifest digests, and the links between the fixtures.</summary>
public sealed class IdentityTests
{
    [Theory]
    // sha256sum of each fixture's bytes (printf '%s' "$fixture" | sha256sum).
    [InlineData(nameof(ImageFixtures.BusyboxConfigAmd64), "sha256:6747d531b835de31cc3da0d9aaf0fb825692af9d6bc29881462085f5b295bb5e", 380)]
    [InlineData(nameof(ImageFixtures.AppConfig), "sha256:9f6c0a8a7b773430fd1840db9fffa070ab8534b5b7573f1be45ae871af5b2196", 1765)]
    [InlineData(nameof(ImageFixtures.LegacyDockerConfig), "sha256:fb10b4408d7506cf93fb1489fc695208f9b8127e8faae826dafab7fd6aa05bb7", 1457)]
    public void Image_id_is_the_digest_of_the_config_bytes(string fixture, string id, long size)
    {
        ImageDocument<ImageConfig> config = OciImageJson.ReadDocument<ImageConfig>(RoundTripTests.Fixture(fixture), fixture);

        Assert.Equal(id, config.Digest.ToString());
        Assert.Equal(size, config.Size);
        Assert.Equal(RoundTripTests.Fixture(fixture), config.Bytes.ToArray());
    }

    [Fact]
    public void A_manifest_list_in_another_key_order_has_another_digest_and_keeps_it()
    {
        // Docker Hub's official images are pushed by manifest-tool, which sorts keys: same content, other bytes.
        ImageDocument<ImageIndex> sorted = OciImageJson.ReadDocument<ImageIndex>(RoundTripTests.Fixture(nameof(ImageFixtures.DockerManifestListSorted)), "list");
        ImageDocument<ImageIndex> structOrder = OciImageJson.ReadDocument<ImageIndex>(RoundTripTests.Fixture(nameof(ImageFixtures.DockerManifestList)), "list");

        Assert.Equal("sha256:7e443488d451f1927b7b1adda55778a590ef1c30dbd02cf6de67e3ff493a203b", sorted.Digest.ToString());
        Assert.Equal("sha256:5fa629c6b750e8c948e876d3c6dc533ac1d7ca41ebc3fac49544c8434caae847", structOrder.Digest.ToString());
        Assert.Equal(OciImageJson.Write(structOrder.Value), OciImageJson.Write(sorted.Value));
    }

    [Theory]
    [InlineData(nameof(ImageFixtures.DockerManifestList), nameof(ImageFixtures.DockerManifestAmd64), nameof(ImageFixtures.DockerManifestArm64))]
    [InlineData(nameof(ImageFixtures.OciIndex), nameof(ImageFixtures.OciManifestAmd64), nameof(ImageFixtures.OciAttestationManifest))]
    public void Index_entries_describe_the_manifest_bytes(string index, string first, string second)
    {
        ImageIndex list = OciImageJson.Read<ImageIndex>(RoundTripTests.Fixture(index), index);

        Assert.Equal([Describe(first), Describe(second)], list.Manifests!.Select(d => (d.Digest, d.Size)));
    }

    [Theory]
    [InlineData(nameof(ImageFixtures.DockerManifestAmd64), nameof(ImageFixtures.BusyboxConfigAmd64))]
    [InlineData(nameof(ImageFixtures.DockerManifestArm64), nameof(ImageFixtures.BusyboxConfigArm64))]
    [InlineData(nameof(ImageFixtures.OciManifestAmd64), nameof(ImageFixtures.BusyboxConfigAmd64))]
    [InlineData(nameof(ImageFixtures.OciAttestationManifest), nameof(ImageFixtures.AttestationConfig))]
    public void Manifest_config_descriptor_describes_the_config_bytes(string manifest, string config)
    {
        ImageManifest read = OciImageJson.Read<ImageManifest>(RoundTripTests.Fixture(manifest), manifest);

        Assert.Equal(Describe(config), (read.Config!.Digest, read.Config.Size));
    }

    [Fact]
    public void Empty_json_descriptor_is_the_specs()
    {
        Descriptor empty = Descriptor.For(MediaTypes.OciEmpty, "{}"u8);

        // The OCI image spec's "Guidance for an Empty Descriptor".
        Assert.Equal("sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a", empty.Digest.ToString());
        Assert.Equal(MediaTypes.EmptyJsonDigest, empty.Digest);
        Assert.Equal(2, empty.Size);
        Assert.Equal(
            """{"mediaType":"application/vnd.oci.empty.v1+json","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2,"data":"e30="}""",
            Encoding.UTF8.GetString(OciImageJson.Write(empty with { Data = "{}"u8.ToArray() })));
    }

    [Fact]
    public void Document_descriptor_carries_digest_and_size()
    {
        ImageDocument<ImageManifest> manifest = OciImageJson.ReadDocument<ImageManifest>(RoundTripTests.Fixture(nameof(ImageFixtures.OciManifestAmd64)), "m");

        Descriptor descriptor = manifest.ToDescriptor(MediaTypes.OciManifest);

        Assert.Equal("sha256:8a609e1471027f06255fa33e1a0b13d342f06d0d1d56f517ad91bd30b5f4cd51", descriptor.Digest.ToString());
        Assert.Equal(480, descriptor.Size);
    }

    private static (Digest, long) Describe(string fixture)
    {
        byte[] bytes = RoundTripTests.Fixture(fixture);
        return (Digest.FromBytes(bytes), bytes.Length);
    }
}
