using Berth.Cli.Output;

namespace Berth.Cli.Tests.Output;

public class ImageReferenceTests
{
    [Theory]
    [InlineData("busybox", "docker.io/library/busybox", "busybox", null)]
    [InlineData("busybox:1.36", "docker.io/library/busybox", "busybox:1.36", "1.36")]
    [InlineData("library/busybox", "docker.io/library/busybox", "busybox", null)]
    [InlineData("docker.io/team/app:v2", "docker.io/team/app", "team/app:v2", "v2")]
    [InlineData("localhost:5000/a/b:t", "localhost:5000/a/b", "localhost:5000/a/b:t", "t")]
    [InlineData("registry.example/x", "registry.example/x", "registry.example/x", null)]
    public void Names_normalize_as_docker_does(string text, string name, string familiar, string? tag)
    {
        var r = ImageReference.Parse(text);
        Assert.Equal(name, r.Name);
        Assert.Equal(familiar, r.ToString());
        Assert.Equal(tag, r.Tag);
    }

    [Fact]
    public void Latest_is_the_default_tag()
    {
        Assert.Equal("busybox:latest", ImageReference.Parse("busybox").WithDefaultTag().ToString());
        string digest = "sha256:" + new string('a', 64);
        Assert.Null(ImageReference.Parse("busybox@" + digest).WithDefaultTag().Tag);
        Assert.Equal("busybox:1", ImageReference.WithoutDigest("busybox:1@" + digest));
    }

    [Theory]
    [InlineData("", "invalid reference format")]
    [InlineData("a:b:c", "invalid reference format")]
    [InlineData("-bad", "invalid reference format")]
    [InlineData("Busybox", "invalid reference format: repository name (library/Busybox) must be lowercase")]
    public void Bad_references_are_refused_with_dockers_words(string text, string message)
    {
        Assert.False(ImageReference.TryParse(text, out _, out var error));
        Assert.Equal(message, error);
    }
}
