using Berth.Engine;
using Berth.Engine.Containers;
using Berth.Engine.Model;
using Berth.Oci.Image;

namespace Berth.Engine.Tests.Containers;

/// <summary>Docker's rules for containers that need no kernel: names, config merge, filters, durations, signals.</summary>
public sealed class ContainerRulesTests
{
    [Theory]
    [InlineData("web", "/web")]
    [InlineData("/web-1.a_b", "/web-1.a_b")]
    public void Names_get_docker_s_leading_slash(string name, string expected) => Assert.Equal(expected, ContainerNames.Normalize(name));

    [Theory]
    [InlineData("a")]
    [InlineData("-web")]
    [InlineData("bad name")]
    [InlineData("wé")]
    public void Invalid_names_are_docker_s_error(string name)
    {
        var e = Assert.Throws<EngineException>(() => ContainerNames.Normalize(name));
        Assert.Equal($"Invalid container name ({name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed", e.Message);
        Assert.Equal(EngineErrorKind.InvalidParameter, e.Kind);
    }

    [Fact]
    public void Generated_names_are_adjective_underscore_surname()
        => Assert.Matches("^[a-z]+_[a-z]+$", ContainerNames.Generate(0));

    [Fact]
    public void Image_config_fills_what_the_client_left_out_and_the_client_wins()
    {
        var config = new ContainerConfig { Env = ["A=client", "C=3"], Labels = new() { ["l"] = "client" } };
        var image = new ExecutionConfig
        {
            Env = ["PATH=/bin", "A=image"],
            Cmd = ["sh"],
            Entrypoint = null,
            WorkingDir = "/srv",
            User = "nobody",
            Labels = new Dictionary<string, string> { ["l"] = "image", ["m"] = "image" },
            ExposedPorts = new HashSet<string> { "80/tcp" },
            StopSignal = "SIGQUIT",
        };
        ConfigMerge.Apply(config, image);
        Assert.Equal(["A=client", "C=3", "PATH=/bin"], config.Env);
        Assert.Equal(["sh"], config.Cmd);
        Assert.Equal("/srv", config.WorkingDir);
        Assert.Equal("nobody", config.User);
        Assert.Equal("client", config.Labels!["l"]);
        Assert.Equal("image", config.Labels["m"]);
        Assert.True(config.ExposedPorts!.ContainsKey("80/tcp"));
        Assert.Equal("SIGQUIT", config.StopSignal);
    }

    [Fact]
    public void A_client_entrypoint_drops_the_image_s_cmd()
    {
        var config = new ContainerConfig { Entrypoint = ["echo"] };
        ConfigMerge.Apply(config, new ExecutionConfig { Entrypoint = ["/init"], Cmd = ["serve"] });
        Assert.Equal(["echo"], ConfigMerge.Command(config));
    }

    [Fact]
    public void A_client_cmd_keeps_the_image_s_entrypoint()
    {
        var config = new ContainerConfig { Cmd = ["--help"] };
        ConfigMerge.Apply(config, new ExecutionConfig { Entrypoint = ["/init"], Cmd = ["serve"] });
        Assert.Equal(["/init", "--help"], ConfigMerge.Command(config));
    }

    [Fact]
    public void Filters_take_both_of_docker_s_json_forms_and_refuse_unknown_names()
    {
        var f = Filters.Parse("{\"label\":{\"a=b\":true},\"status\":[\"running\"]}", ["label", "status"]);
        Assert.True(f.MatchesLabels("label", new Dictionary<string, string> { ["a"] = "b" }));
        Assert.False(f.MatchesLabels("label", new Dictionary<string, string> { ["a"] = "c" }));
        Assert.Equal(["running"], f.Get("status"));
        var e = Assert.Throws<EngineException>(() => Filters.Parse("{\"colour\":[\"red\"]}", ["label"]));
        Assert.Equal("invalid filter 'colour'", e.Message);
    }

    [Theory]
    [InlineData("10m", 600)]
    [InlineData("1h30m", 5400)]
    [InlineData("1.5s", 1.5)]
    [InlineData("300ms", 0.3)]
    public void Go_durations(string text, double seconds)
    {
        Assert.True(GoDuration.TryParse(text, out var d));
        Assert.Equal(seconds, d.TotalSeconds, 6);
    }

    [Theory]
    [InlineData("10x")]
    [InlineData("m")]
    [InlineData("")]
    public void Bad_go_durations(string text) => Assert.False(GoDuration.TryParse(text, out _));

    [Theory]
    [InlineData("SIGTERM", 15)]
    [InlineData("term", 15)]
    [InlineData("9", 9)]
    [InlineData("SIGRTMIN+3", 37)]
    public void Signals_as_docker_takes_them(string text, int number) => Assert.Equal(number, ContainerService.ParseSignal(text));

    [Fact]
    public void Unknown_signal_is_docker_s_error()
        => Assert.Equal("Invalid signal: SIGNOPE", Assert.Throws<EngineException>(() => ContainerService.ParseSignal("SIGNOPE")).Message);

    [Fact]
    public void Capabilities_are_named_as_docker_accepts_them()
    {
        Assert.Equal("CAP_NET_ADMIN", SpecBuilder.CapabilityName("net_admin"));
        Assert.Equal("CAP_NET_ADMIN", SpecBuilder.CapabilityName("CAP_NET_ADMIN"));
        Assert.Equal("ALL", SpecBuilder.CapabilityName("all"));
        Assert.Equal("unknown capability: \"CAP_FLY\"", Assert.Throws<EngineException>(() => SpecBuilder.CapabilityName("fly")).Message);
    }
}
