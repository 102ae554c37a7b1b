using Berth.Build.Dockerfile;
using static Berth.Build.Tests.Dockerfile.DockerfileParserTests;

namespace Berth.Build.Tests.Dockerfile;

/// <summary><see cref="Instruction.Expand"/>: the words Docker expands, and only those.</summary>
public sealed class ExpandTests
{
    static readonly Dictionary<string, string> Env = new()
    {
        ["V"] = "1.2",
        ["DIR"] = "/srv",
        ["WHO"] = "app",
        ["PORTS"] = "80 443/udp",
        ["STAGE"] = "build",
    };

    static readonly ShellLex Lex = new();

    static T Expanded<T>(string line) where T : Instruction
        => Assert.IsType<T>(Assert.Single(Body(line)).Expand(w => Lex.ProcessWord(w, Env)));

    [Fact]
    public void Env_and_label_keys_and_values_lose_their_quotes()
    {
        Assert.Equal([new KeyValue("A", "1.2"), new KeyValue("B", "two words"), new KeyValue("C", "$V")], Expanded<EnvInstruction>("ENV A=$V B=\"two words\" C='$V'").Pairs);
        Assert.Equal([new KeyValue("k 1.2", "/srv/x")], Expanded<LabelInstruction>("LABEL \"k $V\"=${DIR}/x").Pairs);
    }

    [Fact]
    public void Copy_words()
    {
        var copy = Expanded<CopyInstruction>("COPY --from=$STAGE --chown=$WHO --chmod=${MODE:-644} --exclude=*.$V src-$V $DIR/");
        Assert.Equal(["src-1.2"], copy.Sources);
        Assert.Equal("/srv/", copy.Destination);
        Assert.Equal(("build", "app", "644"), (copy.From, copy.Chown, copy.Chmod));
        Assert.Equal(["*.1.2"], copy.Excludes);
        var heredoc = Expanded<CopyInstruction>("COPY <<EOF $DIR/f\n$V\nEOF");
        Assert.Equal("$V\n", heredoc.SourceContents[0].Content);
        Assert.Equal("/srv/f", heredoc.Destination);
    }

    [Fact]
    public void Single_words()
    {
        Assert.Equal("/srv/app", Expanded<WorkdirInstruction>("WORKDIR $DIR/$WHO").Path);
        Assert.Equal("app:app", Expanded<UserInstruction>("USER ${WHO}:$WHO").User);
        Assert.Equal("SIG1.2", Expanded<StopsignalInstruction>("STOPSIGNAL SIG$V").Signal);
        Assert.Equal(["/srv", "/data"], Expanded<VolumeInstruction>("VOLUME $DIR /data").Paths);
        Assert.Equal(["80", "443/udp", "8080"], Expanded<ExposeInstruction>("EXPOSE $PORTS 8080").Ports);
        Assert.Equal([new ArgDeclaration("A", "1.2"), new ArgDeclaration("B", null)], Expanded<ArgInstruction>("ARG A=$V B").Args);
    }

    [Fact]
    public void From_image_and_platform()
    {
        var from = Assert.IsType<FromInstruction>(Parse("FROM --platform=$P alpine:$V AS b").Stages[0].From
            .Expand(w => Lex.ProcessWord(w, new Dictionary<string, string>(Env) { ["P"] = "linux/amd64" })));
        Assert.Equal(("alpine:1.2", "linux/amd64", "b"), (from.Image, from.Platform, from.StageName));
    }

    [Fact]
    public void Commands_and_triggers_are_not_expanded()
    {
        string[] lines = ["RUN echo $V", "CMD echo $V", "ENTRYPOINT [\"$V\"]", "SHELL [\"$V\"]", "HEALTHCHECK CMD $V", "ONBUILD RUN $V", "MAINTAINER $V"];
        foreach (var instruction in Body(string.Join('\n', lines)))
            Assert.Same(instruction, instruction.Expand(_ => throw new InvalidOperationException("expanded")));
    }

    [Fact]
    public void Expansion_errors_are_dockers()
        => Assert.Equal("failed to process \"${V\": missing ':' in substitution",
            Assert.Throws<DockerfileException>(() => Expanded<EnvInstruction>("ENV A=${V")).Message);
}
