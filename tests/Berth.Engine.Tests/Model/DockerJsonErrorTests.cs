using System.Text;
using Berth.Engine.Model;

namespace Berth.Engine.Tests.Model;

/// <summary>Documents that do not fit are refused with Go's words, naming the field and the type it wants.</summary>
public sealed class DockerJsonErrorTests
{
    [Fact]
    public void A_string_for_a_number_names_the_field_and_its_go_type()
    {
        var error = Refused("""{"Image":"x","HostConfig":{"Memory":"1g"}}""");
        Assert.Equal("json: cannot unmarshal string into Go struct field ContainerCreateRequest.HostConfig.Memory of type int64", error.Message);
        Assert.Equal("ContainerCreateRequest.HostConfig.Memory", error.Field);
        Assert.Equal("int64", error.ExpectedType);
        Assert.Equal("string", error.Found);
    }

    [Theory]
    [InlineData("""{"Env":"A=1"}""", "string", "ContainerCreateRequest.Env", "[]string")]
    [InlineData("""{"Env":["A=1",2]}""", "number 2", "ContainerCreateRequest.Env", "string")]
    [InlineData("""{"Cmd":5}""", "number 5", "ContainerCreateRequest.Cmd", "[]string")]
    [InlineData("""{"Tty":"yes"}""", "string", "ContainerCreateRequest.Tty", "bool")]
    [InlineData("""{"StopTimeout":1.5}""", "number 1.5", "ContainerCreateRequest.StopTimeout", "int")]
    [InlineData("""{"Labels":["a"]}""", "array", "ContainerCreateRequest.Labels", "map[string]string")]
    [InlineData("""{"HostConfig":{"BlkioWeight":70000}}""", "number 70000", "ContainerCreateRequest.HostConfig.BlkioWeight", "uint16")]
    [InlineData("""{"HostConfig":{"Ulimits":[{"Name":"nofile","Soft":"x"}]}}""", "string", "ContainerCreateRequest.HostConfig.Ulimits.Soft", "int64")]
    [InlineData("""{"HostConfig":{"RestartPolicy":"always"}}""", "string", "ContainerCreateRequest.HostConfig.RestartPolicy", "RestartPolicy")]
    [InlineData("""{"HostConfig":{"PortBindings":{"80/tcp":[{"HostPort":80}]}}}""", "number 80", "ContainerCreateRequest.HostConfig.PortBindings.HostPort", "string")]
    [InlineData("""{"Labels":{"a":1}}""", "number 1", "ContainerCreateRequest.Labels", "string")]
    [InlineData("""{"hostconfig":{"consolesize":"big"}}""", "string", "ContainerCreateRequest.HostConfig.ConsoleSize", "[]uint32")]
    public void Wrong_types_are_described_like_go(string json, string found, string field, string type)
    {
        var error = Refused(json);
        Assert.Equal(found, error.Found);
        Assert.Equal(field, error.Field);
        Assert.Equal(type, error.ExpectedType);
        Assert.Equal($"json: cannot unmarshal {found} into Go struct field {field} of type {type}", error.Message);
    }

    [Fact]
    public void A_wrong_document_kind_names_the_type()
    {
        Assert.Equal("json: cannot unmarshal array into Go value of type ContainerCreateRequest", Refused("[1]").Message);
    }

    [Fact]
    public void A_bad_time_is_refused_as_time()
    {
        var thrown = Assert.Throws<DockerJsonException>(() => DockerJson.Deserialize("""{"read":"yesterday"}"""u8, DockerJson.Default.ContainerStats));
        Assert.Equal("json: cannot unmarshal string into Go struct field ContainerStats.read of type time.Time", thrown.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  \n")]
    [InlineData("""{"Image":"x",""")]
    [InlineData("""{"Image":""")]
    public void Truncated_input_is_an_unexpected_end(string json)
    {
        var error = Refused(json);
        Assert.Equal("unexpected end of JSON input", error.Message);
        Assert.Null(error.Field);
    }

    [Fact]
    public void A_syntax_error_gives_its_position()
    {
        var error = Refused("""{"Image": x}""");
        Assert.StartsWith("invalid JSON at line 1, column 11: ", error.Message);
        Assert.DoesNotContain("Path:", error.Message);
        Assert.DoesNotContain("LineNumber", error.Message);
        Assert.Null(error.Field);
    }

    [Fact]
    public void Trailing_garbage_is_a_syntax_error()
    {
        Assert.StartsWith("invalid JSON", Refused("""{"Image":"x"} {}""").Message);
    }

    static DockerJsonException Refused(string json) =>
        Assert.Throws<DockerJsonException>(() => DockerJson.Deserialize(Encoding.UTF8.GetBytes(json), DockerJson.Default.ContainerCreateRequest));
}
