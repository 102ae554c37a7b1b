using System.Text;
using Berth.Oci.Runtime;

namespace Berth.Oci.Tests;

public sealed class ErrorTests
{
    [Fact]
    public void Wrong_type_names_the_path_the_expected_type_and_the_value()
    {
        OciFormatException ex = ReadFails("""
            {"ociVersion": "1.2.0",
             "process": {"cwd": "/", "user": {"uid": "root", "gid": 0}}}
            """);

        Assert.Equal("""config.json: invalid value at $.process.user.uid: expected uint32, got string "root" """.TrimEnd(), ex.Message);
        Assert.Equal("$.process.user.uid", ex.JsonPath);
        Assert.Equal("config.json", ex.FileName);
        Assert.Equal(2, ex.Line);
    }

    [Theory]
    [InlineData("""{"process":{"user":{"uid":-1}}}""", "$.process.user.uid", "expected uint32, got number -1")]
    [InlineData("""{"process":{"rlimits":[{"type":"RLIMIT_CORE","hard":18446744073709551616}]}}""", "$.process.rlimits[0].hard", "expected uint64, got number 18446744073709551616")]
    [InlineData("""{"process":{"terminal":"yes"}}""", "$.process.terminal", "expected boolean, got string \"yes\"")]
    [InlineData("""{"process":{"oomScoreAdj":1.5}}""", "$.process.oomScoreAdj", "expected int32, got number 1.5")]
    [InlineData("""{"process":{"cwd":null}}""", "$.process.cwd", "expected string, got null")]
    [InlineData("""{"mounts":[{"destination":"/a"},{"destination":"/b","options":"ro"}]}""", "$.mounts[1].options", "expected array, got string \"ro\"")]
    [InlineData("""{"linux":{"namespaces":{"type":"pid"}}}""", "$.linux.namespaces", "expected array, got object")]
    [InlineData("""{"linux":{"resources":{"blockIO":{"weight":70000}}}}""", "$.linux.resources.blockIO.weight", "expected uint16, got number 70000")]
    [InlineData("""{"annotations":{"ok":"1","bad":2}}""", "$.annotations.bad", "expected string, got number 2")]
    [InlineData("""{"annotations":{"io.berth.x":true}}""", "$.annotations['io.berth.x']", "expected string, got true")]
    [InlineData("""{"linux":{"timeOffsets":{"monotonic":{"secs":"1"}}}}""", "$.linux.timeOffsets.monotonic.secs", "expected int64, got string \"1\"")]
    [InlineData("""{"linux":{"sysctl":[]}}""", "$.linux.sysctl", "expected object, got array")]
    [InlineData("""[]""", "$", "expected object, got array")]
    [InlineData("""null""", "$", "expected object, got null")]
    public void Wrong_values_anywhere_are_located(string json, string path, string reason)
    {
        OciFormatException ex = ReadFails(json);

        Assert.Equal($"config.json: invalid value at {path}: {reason}", ex.Message);
        Assert.Equal(path, ex.JsonPath);
    }

    [Fact]
    public void Malformed_json_names_the_path_line_and_column()
    {
        OciFormatException ex = ReadFails("{\n\t\"ociVersion\": \"1.2.0\",\n\t\"process\": {\n\t\t\"cwd\": \"/\"\n\t\t\"args\": []\n\t}\n}");

        Assert.Equal("config.json: malformed JSON at $.process (line 5, column 3): unexpected character '\"'", ex.Message);
        Assert.Equal(5, ex.Line);
    }

    [Theory]
    [InlineData("", "config.json: malformed JSON at $ (line 1, column 1): unexpected end of input")]
    [InlineData("{\"ociVersion\": \"1.2.0\",", "config.json: malformed JSON at $ (line 1, column 24): unexpected end of input")]
    [InlineData("{\"ociVersion\": \"1.2.0\",}", "config.json: malformed JSON at $ (line 1, column 24): unexpected character '}'")]
    [InlineData("{\"hostname\": 'x'}", "config.json: malformed JSON at $.hostname (line 1, column 14): unexpected character '''")]
    [InlineData("{} {}", "config.json: malformed JSON at $ (line 1, column 4): unexpected character '{'")]
    public void Malformed_json_variants(string json, string message)
    {
        Assert.Equal(message, ReadFails(json).Message);
    }

    [Fact]
    public void Missing_file_says_no_such_file_or_directory()
    {
        using TempDir dir = new();
        string path = dir["config.json"];

        OciFormatException ex = Assert.Throws<OciFormatException>(() => OciJson.ReadSpec(path));

        Assert.Equal($"{path}: no such file or directory", ex.Message);
        Assert.Null(ex.JsonPath);
    }

    [Fact]
    public void Relative_missing_file_is_named_as_given()
    {
        string previous = Environment.CurrentDirectory;
        using TempDir dir = new();
        Environment.CurrentDirectory = dir.Path;
        try
        {
            Assert.Equal("config.json: no such file or directory", Assert.Throws<OciFormatException>(() => OciJson.ReadSpec("config.json")).Message);
        }
        finally
        {
            Environment.CurrentDirectory = previous;
        }
    }

    [Fact]
    public void A_directory_is_not_a_config()
    {
        using TempDir dir = new();

        Assert.Equal($"{dir.Path}: is a directory", Assert.Throws<OciFormatException>(() => OciJson.ReadSpec(dir.Path)).Message);
    }

    [Fact]
    public void File_errors_name_the_file()
    {
        using TempDir dir = new();
        File.WriteAllText(dir["config.json"], """{"root": {"path": 7}}""");

        OciFormatException ex = Assert.Throws<OciFormatException>(() => OciJson.ReadSpec(dir["config.json"]));

        Assert.Equal($"{dir["config.json"]}: invalid value at $.root.path: expected string, got number 7", ex.Message);
    }

    [Fact]
    public void A_byte_order_mark_is_accepted()
    {
        RuntimeSpec spec = OciJson.ReadSpec([0xEF, 0xBB, 0xBF, .. """{"ociVersion":"1.0.0"}"""u8]);

        Assert.Equal("1.0.0", spec.OciVersion);
    }

    [Fact]
    public void Other_types_are_refused()
    {
        Assert.Throws<NotSupportedException>(() => OciJson.WriteCompact(new Uri("http://x")));
        Assert.Throws<NotSupportedException>(() => OciJson.WriteCompact(new Root()));
        Assert.Throws<NotSupportedException>(() => OciJson.Read<ContainerState>("{}"u8, "state.json"));
    }

    private static OciFormatException ReadFails(string json) =>
        Assert.Throws<OciFormatException>(() => OciJson.ReadSpec(Encoding.UTF8.GetBytes(json)));
}
