using Berth.Cli.Output;

namespace Berth.Cli.Tests.Output;

public class JsonIndentTests
{
    [Fact]
    public void Reindents_like_go_json_indent_with_four_spaces()
    {
        string json = "[{\"a\":[1,2],\"b\":{},\"c\":[],\"d\":\"x,y:z [\\\"q\\\"]\",\"e\":null,\"f\":{\"g\":true}}\n]";
        string expected = "[\n    {\n        \"a\": [\n            1,\n            2\n        ],\n        \"b\": {},\n        \"c\": [],\n"
            + "        \"d\": \"x,y:z [\\\"q\\\"]\",\n        \"e\": null,\n        \"f\": {\n            \"g\": true\n        }\n    }\n]";
        Assert.Equal(expected, JsonIndent.Indent(json));
    }

    [Fact]
    public void Keeps_escapes_and_number_text_as_written()
    {
        Assert.Equal("{\n    \"x\": \"\\u003c\\u0026\",\n    \"n\": 1.50e+10\n}", JsonIndent.Indent("{\"x\":\"\\u003c\\u0026\",\"n\":1.50e+10}"));
    }
}
