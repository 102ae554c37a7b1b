using Berth.Engine.Registry;

namespace Berth.Engine.Tests.Registry;

/// <summary>The reference POST /images/create?fromImage=&amp;tag= names, as dockerd reads the two.</summary>
public sealed class PullReferenceTests
{
    [Theory]
    [InlineData("busybox", "latest", "docker.io/library/busybox:latest")]
    [InlineData("busybox", "", "docker.io/library/busybox")]
    [InlineData("127.0.0.1:5000/x", "v1", "127.0.0.1:5000/x:v1")]
    [InlineData("127.0.0.1:5000/x:old", "v1", "127.0.0.1:5000/x:v1")]
    [InlineData("127.0.0.1:5000/x:v2", "", "127.0.0.1:5000/x:v2")]
    [InlineData("x", "sha256:0123456789012345678901234567890123456789012345678901234567890123", "docker.io/library/x@sha256:0123456789012345678901234567890123456789012345678901234567890123")]
    public void From_image_and_tag(string fromImage, string tag, string expected)
        => Assert.Equal(expected, RegistryService.PullReference(fromImage, tag).ToString());

    [Theory]
    [InlineData("Upper/Case", "")]
    [InlineData("x", "bad tag")]
    public void Bad_references_are_invalid_parameters(string fromImage, string tag)
        => Assert.Equal(EngineErrorKind.InvalidParameter, Assert.Throws<EngineException>(() => RegistryService.PullReference(fromImage, tag)).Kind);
}
