using System.Text;
using Berth.Oci.Image;

namespace Berth.Oci.Tests.Image;

/// <summary>What a reader of a broken document is told: the document, the JSON path, and what is wrong there.</summary>
public sealed class ReadErrorTests
{
    [Theory]
    [InlineData("""{"schemaVersion":2,"config":{"mediaType":"a/b","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":"2"}}""",
        "$.config.size", "m: invalid value at $.config.size: expected integer, got string \"2\"")]
    [InlineData("""{"schemaVersion":"2"}""",
        "$.schemaVersion", "m: invalid value at $.schemaVersion: expected integer, got string \"2\"")]
    [InlineData("""{"schemaVersion":2,"layers":{}}""",
        "$.layers", "m: invalid value at $.layers: expected array, got object")]
    [InlineData("""{"schemaVersion":2,"layers":[{"mediaType":5}]}""",
        "$.layers[0].mediaType", "m: invalid value at $.layers[0].mediaType: expected string, got number 5")]
    [InlineData("""{"schemaVersion":2,"layers":[{"digest":"sha256:abc"}]}""",
        "$.layers[0].digest", "m: invalid value at $.layers[0].digest: invalid digest \"sha256:abc\": invalid checksum digest length")]
    [InlineData("""{"schemaVersion":2,"config":{"digest":"md5:d41d8cd98f00b204e9800998ecf8427e"}}""",
        "$.config.digest", "m: invalid value at $.config.digest: invalid digest \"md5:d41d8cd98f00b204e9800998ecf8427e\": unsupported digest algorithm")]
    [InlineData("""{"schemaVersion":2,"config":{"platform":{"os.features":"x"}}}""",
        "$.config.platform['os.features']", "m: invalid value at $.config.platform['os.features']: expected array, got string \"x\"")]
    [InlineData("""{"schemaVersion":2,"annotations":{"a":1}}""",
        "$.annotations", "m: invalid value at $.annotations: expected a string for key \"a\"")]
    [InlineData("""[]""", "$", "m: invalid value at $: expected object, got array")]
    public void Wrong_values_are_named_by_path(string json, string path, string message)
    {
        OciFormatException error = Assert.Throws<OciFormatException>(() => OciImageJson.Read<ImageManifest>(Encoding.UTF8.GetBytes(json), "m"));

        Assert.Equal(message, error.Message);
        Assert.Equal(path, error.JsonPath);
        Assert.Equal("m", error.FileName);
    }

    [Fact]
    public void Config_values_are_named_by_path()
    {
        OciFormatException created = Assert.Throws<OciFormatException>(() => OciImageJson.Read<ImageConfig>("""{"created":"yesterday"}"""u8, "config"));
        OciFormatException ports = Assert.Throws<OciFormatException>(() => OciImageJson.Read<ImageConfig>("""{"config":{"ExposedPorts":["80/tcp"]}}"""u8, "config"));
        OciFormatException retries = Assert.Throws<OciFormatException>(() => OciImageJson.Read<ImageConfig>("""{"config":{"Healthcheck":{"Retries":1.5}}}"""u8, "config"));
        OciFormatException diffIds = Assert.Throws<OciFormatException>(() => OciImageJson.Read<ImageConfig>("""{"rootfs":{"diff_ids":[null]}}"""u8, "config"));

        Assert.Equal("config: invalid value at $.created: invalid time \"yesterday\": expected RFC 3339 (2006-01-02T15:04:05Z)", created.Message);
        Assert.Equal("config: invalid value at $.config.ExposedPorts: expected object, got array", ports.Message);
        Assert.Equal("config: invalid value at $.config.Healthcheck.Retries: expected integer, got number 1.5", retries.Message);
        Assert.Equal("config: invalid value at $.rootfs.diff_ids[0]: expected digest string, got null", diffIds.Message);
    }

    [Theory]
    [InlineData("{\"schemaVersion\":2,\n \"layers\": [1,2,}", "$.layers[2]", 2, 17, "unexpected character '}'")]
    [InlineData("{\"schemaVersion\":2", "$.schemaVersion", 1, 19, "unexpected end of input")]
    [InlineData("{\"schemaVersion\":2}x", "$", 1, 20, "unexpected character 'x'")]
    [InlineData("", "$", 1, 1, "unexpected end of input")]
    public void Malformed_json_is_located(string json, string path, long line, long column, string what)
    {
        OciFormatException error = Assert.Throws<OciFormatException>(() => OciImageJson.Read<ImageManifest>(Encoding.UTF8.GetBytes(json), "manifest.json"));

        Assert.Equal($"manifest.json: malformed JSON at {path} (line {line}, column {column}): {what}", error.Message);
        Assert.Equal((line, column), (error.Line, error.Column));
    }

    [Fact]
    public void Null_document_is_refused()
    {
        Assert.Equal("c: invalid document: null", Assert.Throws<OciFormatException>(() => OciImageJson.Read<ImageConfig>("null"u8, "c")).Message);
    }

    [Fact]
    public void Unknown_fields_are_ignored_and_names_match_case_insensitively()
    {
        ImageConfig config = OciImageJson.Read<ImageConfig>("""{"Architecture":"amd64","OS":"linux","future":{"x":[1]},"config":{"cmd":["sh"],"Foo":1}}"""u8, "c");

        Assert.Equal("amd64", config.Architecture);
        Assert.Equal("linux", config.OS);
        Assert.Equal(["sh"], config.Config!.Cmd!);
    }

    [Fact]
    public void Json_null_reads_as_go_reads_it()
    {
        ImageConfig config = OciImageJson.Read<ImageConfig>(
            """{"architecture":null,"config":{"User":null,"Env":null,"Volumes":null,"Labels":{"a":null},"Entrypoint":null},"os":"linux"}"""u8, "c");

        Assert.Equal("", config.Architecture);
        Assert.Equal("", config.Config!.User);
        Assert.Null(config.Config.Env);
        Assert.Null(config.Config.Volumes);
        Assert.Equal("", config.Config.Labels!["a"]);
        Assert.Equal("""{"architecture":"","config":{"Labels":{"a":""}},"os":"linux"}""", Encoding.UTF8.GetString(OciImageJson.Write(config)));
    }

    [Fact]
    public void Types_that_are_not_image_documents_are_refused()
    {
        Assert.Equal("Uri is not an image document", Assert.Throws<NotSupportedException>(() => OciImageJson.Read<Uri>("{}"u8, "u")).Message);
    }
}
