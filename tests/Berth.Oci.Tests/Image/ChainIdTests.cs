using Berth.Oci.Image;

namespace Berth.Oci.Tests.Image;

public sealed class ChainIdTests
{
    private static readonly Digest[] AppDiffIds =
    [
        Digest.Parse("sha256:c1b24c2ea5bb7ec84f4f057a1e60677b5966f3201bd05bbc067200bffffb3ef6"),
        Digest.Parse("sha256:e884919347cb3d5fb022b3cac78cb9cef6d3c5500434ef8f7342590cfce8881e"),
        Digest.Parse("sha256:38d5d5faaef83b1ba88789a80db215dbbdd61d224cb49c7dad0fc5daf6081615"),
    ];

    [Fact]
    public void Chain_ids_of_a_three_layer_image()
    {
        // c1=sha256:$(printf '%s %s' "$d0" "$d1" | sha256sum | cut -d' ' -f1)
        // c2=sha256:$(printf '%s %s' "$c1" "$d2" | sha256sum | cut -d' ' -f1)
        Assert.Equal(
            [
                "sha256:c1b24c2ea5bb7ec84f4f057a1e60677b5966f3201bd05bbc067200bffffb3ef6",
                "sha256:aeb797ea8eca919debd335007b48d64275e6190da2587b53dc3f690cb31e6d1f",
                "sha256:38ba8656d00eb70bc0d20dc37975011f73ca04e230f01ad0f423985e4c8ce260",
            ],
            ChainId.All(AppDiffIds).Select(d => d.ToString()));
        Assert.Equal("sha256:38ba8656d00eb70bc0d20dc37975011f73ca04e230f01ad0f423985e4c8ce260", ChainId.Of(AppDiffIds).ToString());
    }

    [Fact]
    public void Chain_ids_come_from_the_configs_diff_ids()
    {
        ImageConfig config = OciImageJson.Read<ImageConfig>(RoundTripTests.Fixture(nameof(ImageFixtures.AppConfig)), "config");

        Assert.Equal(AppDiffIds, config.RootFS!.DiffIds);
        Assert.Equal(ChainId.All(AppDiffIds), ChainId.All(config.RootFS.DiffIds!));
    }

    [Fact]
    public void One_layer_is_its_own_chain_and_none_has_none()
    {
        Assert.Equal(AppDiffIds[0], ChainId.Of(AppDiffIds[..1]));
        Assert.Null(ChainId.Of([]));
        Assert.Empty(ChainId.All([]));
    }
}
