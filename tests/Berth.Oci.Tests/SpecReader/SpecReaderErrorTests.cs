using System.Text;
using Berth.Oci.Runtime;
using static Berth.Oci.Tests.SpecReader.Differential;

namespace Berth.Oci.Tests.SpecReader;

/// <summary>
/// Broken documents: RuntimeSpecReader refuses exactly what the serializer refuses, with an error of the same kind
/// (malformed JSON or an invalid value) at the same JSON path, worded as before.
/// </summary>
public sealed class SpecReaderErrorTests
{
    [Theory]
    [InlineData("""{"ociVersion": "1.2.0", "process": {"cwd": "/", "user": {"uid": "root", "gid": 0}}}""")]
    [InlineData("""{"process":{"user":{"uid":-1}}}""")]
    [InlineData("""{"process":{"rlimits":[{"type":"RLIMIT_CORE","hard":18446744073709551616}]}}""")]
    [InlineData("""{"process":{"terminal":"yes"}}""")]
    [InlineData("""{"process":{"oomScoreAdj":1.5}}""")]
    [InlineData("""{"process":{"cwd":null}}""")]
    [InlineData("""{"mounts":[{"destination":"/a"},{"destination":"/b","options":"ro"}]}""")]
    [InlineData("""{"linux":{"namespaces":{"type":"pid"}}}""")]
    [InlineData("""{"linux":{"resources":{"blockIO":{"weight":70000}}}}""")]
    [InlineData("""{"annotations":{"ok":"1","bad":2}}""")]
    [InlineData("""{"annotations":{"io.berth.x":true}}""")]
    [InlineData("""{"annotations":{"x":null}}""")]
    [InlineData("""{"linux":{"timeOffsets":{"monotonic":{"secs":"1"}}}}""")]
    [InlineData("""{"linux":{"timeOffsets":{"monotonic":[]}}}""")]
    [InlineData("""{"linux":{"netDevices":{"eth0":{"name":5}}}}""")]
    [InlineData("""{"linux":{"resources":{"rdma":{"mlx":{"hcaHandles":-1}}}}}""")]
    [InlineData("""{"linux":{"resources":{"unified":{"memory.high":1}}}}""")]
    [InlineData("""{"linux":{"sysctl":[]}}""")]
    [InlineData("""{"linux":{"seccomp":{"syscalls":[{"names":null}]}}}""")]
    [InlineData("""{"process":{"user":null}}""")]
    [InlineData("""{"process":{"user":{"additionalGids":[1,null]}}}""")]
    [InlineData("""{"ociVersion":null}""")]
    [InlineData("""{"root":{"path":null}}""")]
    [InlineData("""{"Process":{"CWD":7}}""")]
    [InlineData("""{"process":{"cwd":"/"},"process":{"cwd":7}}""")]
    [InlineData("""{"process":{"cwd":7},"process":{"cwd":"/"}}""")]
    [InlineData("""{"a.b":{"c":[1,2,}}""")]
    [InlineData("""[]""")]
    [InlineData("""null""")]
    [InlineData("""1""")]
    [InlineData("\"config\"")]
    [InlineData("true")]
    public void Wrong_values(string json)
    {
        AssertSame<RuntimeSpec>(json);
        AssertSame<Process>(json);
        AssertSame<LinuxResources>(json);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("{")]
    [InlineData("}")]
    [InlineData("{\"ociVersion\": \"1.2.0\",")]
    [InlineData("{\"ociVersion\": \"1.2.0\",}")]
    [InlineData("{\"hostname\": 'x'}")]
    [InlineData("{} {}")]
    [InlineData("{} x")]
    [InlineData("{}}")]
    [InlineData("{\n\t\"ociVersion\": \"1.2.0\",\n\t\"process\": {\n\t\t\"cwd\": \"/\"\n\t\t\"args\": []\n\t}\n}")]
    [InlineData("{\"mounts\":[{},]}")]
    [InlineData("{\"mounts\":[,]}")]
    [InlineData("{// comment\n}")]
    [InlineData("{/* comment */}")]
    [InlineData("{\"hostname\":\"a\" /* comment */}")]
    [InlineData("{\"process\":{\"user\":{\"uid\":01}}}")]
    [InlineData("{\"process\":{\"user\":{\"uid\":1.}}}")]
    [InlineData("{\"process\":{\"user\":{\"uid\":.5}}}")]
    [InlineData("{\"process\":{\"user\":{\"uid\":+1}}}")]
    [InlineData("{\"process\":{\"user\":{\"uid\":NaN}}}")]
    [InlineData("{\"process\":{\"user\":{\"uid\":Infinity}}}")]
    [InlineData("{\"process\":{\"user\":{\"uid\":0x10}}}")]
    [InlineData("{\"process\":{\"terminal\":True}}")]
    [InlineData("{\"process\":{\"terminal\":nul}}")]
    [InlineData("{\"hostname\":\"a\tb\"}")]
    [InlineData("{\"hostname\":\"a\nb\"}")]
    [InlineData("{\"hostname\":\"\\x41\"}")]
    [InlineData("{\"hostname\":\"\\u12\"}")]
    [InlineData("{\"hostname\":\"unterminated}")]
    [InlineData("{hostname:\"x\"}")]
    [InlineData("{\"hostname\" \"x\"}")]
    [InlineData("{\"hostname\":\"x\",,\"domainname\":\"y\"}")]
    [InlineData("{\"annotations\":{\"a\":\"b\",}}")]
    [InlineData("{\"annotations\":{\"a\":\"b\" \"c\":\"d\"}}")]
    [InlineData("{\"annotations\":{\"a\":}}")]
    [InlineData("{\"vendor\":[1,2,]}")]
    [InlineData("{\"vendor\":{\"a\":1,}}")]
    [InlineData("{\"vendor\":[01]}")]
    [InlineData("\u0000{}")]
    [InlineData("{}\u0000")]
    public void Malformed_json(string json)
    {
        AssertSame<RuntimeSpec>(json);
        AssertSame<Process>(json);
        AssertSame<LinuxResources>(json);
    }

    [Theory]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(65)]
    [InlineData(1000)]
    public void Deep_nesting_in_an_unknown_property(int depth)
    {
        string nested = new string('[', depth) + new string(']', depth);

        AssertSame<RuntimeSpec>("{\"vendor\":" + nested + "}");
        AssertSame<RuntimeSpec>("{\"process\":{\"user\":{\"x\":" + nested + "}}}");
        AssertSame<RuntimeSpec>("{\"annotations\":{\"a\":" + nested + "}}");
    }

    [Fact]
    public void Every_truncation_of_a_config()
    {
        byte[] json = OciJson.WriteCompact(OciJson.ReadSpec(Documents.FullConfig));
        for (int length = 0; length < json.Length; length++)
        {
            AssertSame<RuntimeSpec>(json[..length]);
        }
    }

    [Fact]
    public void Every_byte_of_a_config_replaced_by_a_structural_character()
    {
        byte[] json = OciJson.WriteCompact(OciJson.ReadSpec(Documents.FullConfig));
        ReadOnlySpan<byte> replacements = "{}[]\",:0 x\\"u8;
        for (int i = 0; i < json.Length; i++)
        {
            // One character at each place, the next one at the next place.
            byte[] broken = [.. json];
            broken[i] = replacements[i % replacements.Length];
            AssertSame<RuntimeSpec>(broken);
        }
    }

    [Fact]
    public void Messages_keep_their_wording()
    {
        // Spot checks of the wording that ErrorTests pins, for each kind of document.
        Assert.Equal(
            """config.json: invalid value at $.process.user.uid: expected uint32, got string "root" """.TrimEnd(),
            Fails("""{"process":{"user":{"uid":"root"}}}""").Message);
        Assert.Equal(
            "config.json: malformed JSON at $ (line 1, column 24): unexpected end of input",
            Fails("{\"ociVersion\": \"1.2.0\",").Message);
        Assert.Equal(
            "process.json: invalid value at $.user.uid: expected uint32, got number -1",
            Assert.Throws<OciFormatException>(() => OciJson.Read<Process>("""{"user":{"uid":-1}}"""u8, "process.json")).Message);
        Assert.Equal(
            "resources: invalid value at $.memory.limit: expected int64, got string \"1g\"",
            Assert.Throws<OciFormatException>(() => OciJson.Read<LinuxResources>("""{"memory":{"limit":"1g"}}"""u8, "resources")).Message);
    }

    [Fact]
    public void Strings_that_do_not_decode_are_worded_not_thrown()
    {
        // Utf8JsonReader finds these only when a value is decoded, with an InvalidOperationException.
        Assert.Equal(
            "config.json: invalid value at $.hostname: expected string, got string that cannot be decoded",
            Assert.Throws<OciFormatException>(() => OciJson.ReadSpec([.. """{"hostname":"a"""u8, 0xFF, .. "\"}"u8])).Message);
        Assert.Equal(
            "config.json: invalid value at $.hostname: expected string, got string that cannot be decoded",
            Fails("""{"hostname":"\udc00"}""").Message);
    }

    [Fact]
    public void Names_and_keys_that_do_not_decode_are_located()
    {
        // A lone surrogate escape in a declared name's place, in an unknown name, and in a map key.
        OciFormatException name = Fails("""{"process":{"cwd":"/","\ud800":1}}""");
        OciFormatException key = Fails("""{"annotations":{"a":"b","\udc00x":"c"}}""");

        Assert.Equal("config.json: invalid value at $.process: property name cannot be decoded", name.Message);
        Assert.Equal("config.json: invalid value at $.annotations: key cannot be decoded", key.Message);
        Assert.Equal((1, 23), (name.Line, name.Column));
    }

    [Fact]
    public void Positions_are_those_of_the_value_or_of_the_syntax_error()
    {
        OciFormatException value = Fails("{\n  \"process\": {\n    \"user\": {\"uid\": \"root\"}}}");
        OciFormatException syntax = Fails("{\n  \"process\": {\n    \"user\": {\"uid\": 1,}}}");

        Assert.Equal((3, 21), (value.Line, value.Column));
        Assert.Equal("$.process.user.uid", value.JsonPath);
        Assert.Equal((3, 23), (syntax.Line, syntax.Column));
        Assert.Equal("config.json: malformed JSON at $.process.user (line 3, column 23): unexpected character '}'", syntax.Message);
    }

    private static OciFormatException Fails(string json) =>
        Assert.Throws<OciFormatException>(() => OciJson.ReadSpec(Encoding.UTF8.GetBytes(json)));
}
