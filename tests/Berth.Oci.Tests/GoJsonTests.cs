using System.Text;
using Berth.Oci.Runtime;
using Berth.Oci.Tests.Reference;

namespace Berth.Oci.Tests;

/// <summary>Go encoding/json details that runc's output depends on.</summary>
public sealed class GoJsonTests
{
    [Theory]
    [InlineData("<a&b>", "\\u003ca\\u0026b\\u003e")]
    [InlineData("quote\" backslash\\ slash/", "quote\\\" backslash\\\\ slash/")]
    [InlineData("\n\r\t", "\\n\\r\\t")]
    [InlineData("\b\f\u0001\u001f", "\\u0008\\u000c\\u0001\\u001f")]
    [InlineData("\u007f", "\u007f")]
    [InlineData("grüße € 日本 😀", "grüße € 日本 😀")]
    [InlineData("line\u2028para\u2029", "line\\u2028para\\u2029")]
    [InlineData("+`'", "+`'")]
    [InlineData("\ufffd", "\ufffd")]
    public void Strings_are_escaped_as_go_escapes_them(string value, string escaped)
    {
        Assert.Equal($$"""{"ociVersion":"{{escaped}}"}""", Write(new RuntimeSpec { OciVersion = value }));
    }

    [Fact]
    public void Ill_formed_utf16_is_written_as_replacement_escape()
    {
        // Not an InlineData: xunit's theory serialization mangles lone surrogates.
        Assert.Equal("{\"ociVersion\":\"lone \\ufffd surrogate\\ufffd\"}", Write(new RuntimeSpec { OciVersion = "lone \ud800 surrogate\udc00" }));
    }

    [Fact]
    public void Map_keys_are_escaped_too()
    {
        RuntimeSpec spec = new() { Annotations = new() { ["<k>"] = "v" } };

        Assert.Equal("""{"ociVersion":"","annotations":{"\u003ck\u003e":"v"}}""", Write(spec));
    }

    [Fact]
    public void Maps_are_written_with_keys_in_utf8_byte_order()
    {
        Dictionary<string, string> map = new()
        {
            ["b"] = "", ["a"] = "", ["B"] = "", ["a.b"] = "", ["a-b"] = "", ["\uffff"] = "", ["😀"] = "", ["é"] = "",
        };

        string json = Write(new HookState { Annotations = map });

        // Go: sort.Strings, byte-wise. U+1F600 (F0 9F 98 80) sorts after U+FFFF (EF BF BF), unlike in UTF-16.
        Assert.EndsWith("{\"B\":\"\",\"a\":\"\",\"a-b\":\"\",\"a.b\":\"\",\"b\":\"\",\"é\":\"\",\"\uffff\":\"\",\"😀\":\"\"}}", json);
    }

    [Theory]
    [InlineData("2024-01-02T03:04:05Z", "2024-01-02T03:04:05Z")]
    [InlineData("2024-01-02T03:04:05.5Z", "2024-01-02T03:04:05.5Z")]
    [InlineData("2024-01-02T03:04:05.120Z", "2024-01-02T03:04:05.12Z")]
    [InlineData("2024-01-02T03:04:05.123456789Z", "2024-01-02T03:04:05.1234567Z")]
    [InlineData("2024-01-02T03:04:05.000000001Z", "2024-01-02T03:04:05Z")]
    [InlineData("2024-01-02T03:04:05.25+05:30", "2024-01-02T03:04:05.25+05:30")]
    [InlineData("2024-01-02T03:04:05-08:00", "2024-01-02T03:04:05-08:00")]
    [InlineData("2024-01-02T03:04:05+00:00", "2024-01-02T03:04:05Z")]
    public void Times_are_rfc3339_nano_as_go_writes_them(string input, string output)
    {
        // Parsed by the serializer's Go time converter: Berth.Oci writes states, never reads them.
        ContainerState state = Serializer.ReadValid<ContainerState>(Encoding.UTF8.GetBytes($$"""{"created":"{{input}}"}"""));

        Assert.Contains($"\"created\":\"{output}\"", Write(state));
    }

    [Fact]
    public void Times_keep_the_instant_and_the_offset()
    {
        ContainerState state = new() { Created = new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.FromHours(-7)).AddTicks(1) };

        ContainerState back = Serializer.ReadValid<ContainerState>(OciJson.WriteCompact(state));

        Assert.Equal(state.Created, back.Created);
        Assert.Equal(state.Created.Offset, back.Created.Offset);
        Assert.Contains("\"created\":\"2024-01-02T03:04:05.0000001-07:00\"", Write(state));
    }

    [Fact]
    public void Hook_state_omits_a_zero_pid()
    {
        Assert.Equal("""{"ociVersion":"1.2.0","id":"c","status":"stopped","bundle":"/b"}""",
            Write(new HookState { OciVersion = "1.2.0", Id = "c", Status = ContainerStatus.Stopped, Bundle = "/b" }));
    }

    [Fact]
    public void Container_process_state_writes_fds_always()
    {
        Assert.Equal("""{"ociVersion":"1.2.0","fds":[],"pid":0,"state":{"ociVersion":"","id":"","status":"","bundle":""}}""",
            Write(new ContainerProcessState { OciVersion = "1.2.0" }));
    }

    [Fact]
    public void Indentation_is_configurable_and_has_no_trailing_newline()
    {
        RuntimeSpec spec = new() { Root = new Root { Path = "rootfs", Readonly = true }, Mounts = [] };

        Assert.Equal(
            "{\n\t\"ociVersion\": \"\",\n\t\"root\": {\n\t\t\"path\": \"rootfs\",\n\t\t\"readonly\": true\n\t},\n\t\"mounts\": []\n}",
            Encoding.UTF8.GetString(OciJson.WriteIndented(spec)));
        Assert.Equal(
            "{\n  \"ociVersion\": \"\",\n  \"root\": {\n    \"path\": \"rootfs\",\n    \"readonly\": true\n  },\n  \"mounts\": []\n}",
            Encoding.UTF8.GetString(OciJson.WriteIndented(spec, ' ', 2)));
    }

    private static string Write<T>(T value) => Encoding.UTF8.GetString(OciJson.WriteCompact(value));
}
