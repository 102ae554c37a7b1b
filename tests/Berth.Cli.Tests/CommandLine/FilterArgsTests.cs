using Berth.Cli.CommandLine;

namespace Berth.Cli.Tests.CommandLine;

public class FilterArgsTests
{
    [Fact]
    public void Filters_encode_as_docker_sends_them()
    {
        var filters = new FilterArgs();
        filters.AddFlag("label=a=b");
        filters.AddFlag(" Name = web ");
        filters.AddFlag("label=c");
        Assert.Equal("{\"label\":{\"a=b\":true,\"c\":true},\"name\":{\"web\":true}}", filters.ToJson());
    }

    [Fact]
    public void A_filter_without_equals_is_refused_with_dockers_words()
    {
        var e = Assert.Throws<FlagValueException>(() => new FilterArgs().AddFlag("bad"));
        Assert.Equal("bad format of filter (expected name=value)", e.Message);
    }
}
