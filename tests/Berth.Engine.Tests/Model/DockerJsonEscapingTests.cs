using System.Buffers;
using System.Text;
using Berth.Engine.Model;

namespace Berth.Engine.Tests.Model;

public sealed class DockerJsonEscapingTests
{
    // Expected bytes are what Go 1.24's encoding/json writes for the same string (Docker 28's toolchain).
    [Theory]
    [InlineData("plain", "\"plain\"")]
    [InlineData("a<b>&c", "\"a\\u003cb\\u003e\\u0026c\"")]
    [InlineData("quote\" back\\ slash/", "\"quote\\\" back\\\\ slash/\"")]
    [InlineData("\b\f\n\r\t", "\"\\b\\f\\n\\r\\t\"")]
    [InlineData("\u0001\u001f", "\"\\u0001\\u001f\"")]
    [InlineData("\u007f", "\"\u007f\"")]
    [InlineData("é ü 中文", "\"é ü 中文\"")]
    [InlineData("\U0001F600", "\"\U0001F600\"")]
    [InlineData("\u2028\u2029", "\"\\u2028\\u2029\"")]
    [InlineData("\uFFFD", "\"\uFFFD\"")]
    [InlineData("'+`", "\"'+`\"")]
    public void Strings_are_escaped_as_go_writes_them(string value, string expected)
    {
        Assert.Equal(expected, Encode(value, escapeHtml: true));
    }

    [Fact]
    public void Without_html_escaping_angle_brackets_and_ampersands_stay_raw_but_separators_do_not()
    {
        Assert.Equal("\"a<b>&c \\u2028 \\u0001\"", Encode("a<b>&c \u2028 \u0001", escapeHtml: false));
    }

    [Fact]
    public void A_lone_surrogate_becomes_the_replacement_escape()
    {
        Assert.Equal("\"x\\ufffdy\"", Encode("x\uD800y", escapeHtml: true));
        Assert.Equal("\"\\ufffd\"", Encode("\uDC00", escapeHtml: false));
    }

    [Fact]
    public void Property_names_and_map_keys_are_escaped_too()
    {
        var labels = new Dictionary<string, string> { ["a&b"] = "<v>" };
        string json = Encoding.UTF8.GetString(DockerJson.Serialize(labels, DockerJson.Default.DictionaryStringString));
        Assert.Equal("{\"a\\u0026b\":\"\\u003cv\\u003e\"}", json);
        json = Encoding.UTF8.GetString(DockerJson.Serialize(labels, DockerJson.Default.DictionaryStringString, escapeHtml: false));
        Assert.Equal("{\"a&b\":\"<v>\"}", json);
    }

    static string Encode(string value, bool escapeHtml)
    {
        ArrayBufferWriter<byte> output = new();
        DockerJson.Serialize(output, [value], DockerJson.Default.ListString, escapeHtml);
        string json = Encoding.UTF8.GetString(output.WrittenSpan);
        Assert.StartsWith("[", json);
        return json[1..^1];
    }
}
