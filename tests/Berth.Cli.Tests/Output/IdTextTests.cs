using Berth.Cli.Output;

namespace Berth.Cli.Tests.Output;

public class IdTextTests
{
    [Theory]
    [InlineData("sha256:32ac9f3cf8c5c14232442fe14d295240dfe9e4affc189e36d5bfe68025c4a88d", "32ac9f3cf8c5")]
    [InlineData("b1e0476878e1fa81d50650f7ade002041d501d89f46a8e98d288aacb16ed090f", "b1e0476878e1")]
    [InlineData("abc", "abc")]
    [InlineData("<missing>", "<missing>")]
    public void Ids_are_cut_to_twelve_characters_without_the_algorithm(string id, string expected) =>
        Assert.Equal(expected, IdText.TruncateId(id));

    // docker/cli formatter/displayutils_test.go
    [Theory]
    [InlineData("t🐳ststring", 0, "")]
    [InlineData("t🐳ststring", 1, "t")]
    [InlineData("t🐳ststring", 2, "t…")]
    [InlineData("t🐳ststring", 6, "t🐳st…")]
    [InlineData("t🐳ststring", 20, "t🐳ststring")]
    [InlineData("你好世界teststring", 0, "")]
    [InlineData("你好世界teststring", 1, "你")]
    [InlineData("你好世界teststring", 3, "你…")]
    [InlineData("你好世界teststring", 6, "你好…")]
    [InlineData("你好世界teststring", 20, "你好世界teststring")]
    [InlineData("Tänk på att", 6, "Tänk …")]
    [InlineData("Tänk på att", 11, "Tänk på att")]
    [InlineData("sh -c 'while true; do sleep 1; done'", 20, "sh -c 'while true; …")]
    public void Ellipsis_cuts_to_display_width(string text, int width, string expected) =>
        Assert.Equal(expected, IdText.Ellipsis(text, width));
}
