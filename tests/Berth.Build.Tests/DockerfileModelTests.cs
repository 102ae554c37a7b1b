using Berth.Build.Dockerfile;

namespace Berth.Build.Tests;

public sealed class DockerfileModelTests
{
    [Fact]
    public void Instructions_name_their_keyword()
    {
        var at = new SourceLocation("Dockerfile", 1, 1);
        Assert.Equal("ADD", new CopyInstruction(at, "ADD a b", true, ["a"], "b", [], null, null, null, false, false, [], null, false).Keyword);
        Assert.Equal("COPY", new CopyInstruction(at, "COPY a b", false, ["a"], "b", [], null, null, null, false, false, [], null, false).Keyword);
    }
}
