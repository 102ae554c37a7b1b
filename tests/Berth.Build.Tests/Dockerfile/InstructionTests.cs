using Berth.Build.Dockerfile;
using static Berth.Build.Tests.Dockerfile.DockerfileParserTests;

namespace Berth.Build.Tests.Dockerfile;

/// <summary>Every instruction, its forms and flags, and the errors Docker gives for it (texts of dockerd 20.10).</summary>
public sealed class InstructionTests
{
    static T One<T>(string line) where T : Instruction => Assert.IsType<T>(Assert.Single(Body(line)));

    static string Error(string line) => Fails("FROM scratch\n" + line).Message;

    static string Line2(string message) => "dockerfile parse error line 2: " + message;

    [Fact]
    public void From()
    {
        var from = Parse("FROM --platform=linux/arm64 alpine:3 AS Base").Stages[0].From;
        Assert.Equal(("alpine:3", "base", "linux/arm64"), (from.Image, from.StageName, from.Platform));
        Assert.Equal("FROM --platform=linux/arm64 alpine:3 AS Base", from.Original);
        from = Parse("FROM alpine").Stages[0].From;
        Assert.Equal(("alpine", null, null), (from.Image, from.StageName, from.Platform));
    }

    [Theory]
    [InlineData("FROM", "FROM requires either one or three arguments")]
    [InlineData("FROM a b", "FROM requires either one or three arguments")]
    [InlineData("FROM a AS", "FROM requires either one or three arguments")]
    [InlineData("FROM a to b", "FROM requires either one or three arguments")]
    [InlineData("FROM a AS 1b", "invalid name for build stage: \"1b\", name can't start with a number or contain symbols")]
    [InlineData("FROM a AS $x", "invalid name for build stage: \"$x\", name can't start with a number or contain symbols")]
    [InlineData("FROM --plat=x a", "Unknown flag: plat")]
    [InlineData("FROM --platform a", "Missing a value on flag: platform")]
    public void From_errors(string line, string message) => Assert.Equal("dockerfile parse error line 1: " + message, Fails(line).Message);

    [Fact]
    public void Run_shell_and_exec_forms()
    {
        var run = One<RunInstruction>("RUN  echo \"a  b\"   c ");
        Assert.Equal(new CommandLine(["echo \"a  b\"   c"], true).Args, run.Command.Args);
        Assert.True(run.Command.PrependShell);
        run = One<RunInstruction>("RUN [\"echo\", \"a b\", \"\\u00e9\"]");
        Assert.Equal(["echo", "a b", "é"], run.Command.Args);
        Assert.False(run.Command.PrependShell);
        // Not JSON: shell form. Text after a JSON array is ignored, as Go's decoder does.
        Assert.Equal(["[echo, a]"], One<RunInstruction>("RUN [echo, a]").Command.Args);
        Assert.Equal(["a"], One<RunInstruction>("RUN [\"a\"] trailing").Command.Args);
        Assert.Empty(One<RunInstruction>("RUN").Command.Args);
    }

    [Fact]
    public void Run_flags()
    {
        var run = One<RunInstruction>("RUN --mount=type=cache,target=/root/.cache,sharing=locked --mount=type=secret,id=tok,required "
            + "--mount=target=/src,from=build,rw --mount=type=tmpfs,dst=/tmp,size=64m --mount=type=ssh --network=none --security=insecure make");
        Assert.Equal(["cache", "secret", "bind", "tmpfs", "ssh"], run.Mounts.Select(m => m.Type));
        Assert.Equal(new Dictionary<string, string> { ["target"] = "/root/.cache", ["sharing"] = "locked" }, run.Mounts[0].Options);
        Assert.Equal(new Dictionary<string, string> { ["id"] = "tok", ["required"] = "true" }, run.Mounts[1].Options);
        Assert.Equal(new Dictionary<string, string> { ["target"] = "/src", ["from"] = "build", ["rw"] = "true" }, run.Mounts[2].Options);
        Assert.Equal("none", run.Network);
        Assert.Equal("insecure", run.Security);
        Assert.Equal(["make"], run.Command.Args);
        Assert.Equal("host", One<RunInstruction>("RUN --network=host x").Network);
        Assert.Equal("default", One<RunInstruction>("RUN --network=default x").Network);
        var plain = One<RunInstruction>("RUN x");
        Assert.Empty(plain.Mounts);
        Assert.Null(plain.Network);
        Assert.Null(plain.Security);
        Assert.Equal(["echo"], One<RunInstruction>("RUN -- echo").Command.Args);
    }

    [Theory]
    [InlineData("RUN --foo x", "Unknown flag: foo")]
    [InlineData("RUN --network x", "Missing a value on flag: network")]
    [InlineData("RUN --network=bridge x", "unsupported network mode \"bridge\"")]
    [InlineData("RUN --network=none --network=host x", "Duplicate flag specified: network")]
    [InlineData("RUN --security=x y", "unsupported security mode \"x\"")]
    [InlineData("RUN --mount=type=nfs,target=/x y", "unsupported mount type \"nfs\"")]
    [InlineData("RUN --mount=type=cache,target=/x,color=red y", "unexpected key 'color' in 'color=red'")]
    [InlineData("RUN --mount=type=cache,target=/x,id y", "invalid field 'id' must be a key=value pair")]
    [InlineData("RUN --mount=type=cache,target=/x,sharing=all y", "unsupported sharing value \"all\"")]
    [InlineData("RUN --mount=type=cache y", "mount of type cache requires a target: type=cache")]
    public void Run_errors(string line, string message) => Assert.Equal(Line2(message), Error(line));

    [Fact]
    public void Cmd_and_entrypoint()
    {
        Assert.Equal(new CommandLine(["a", "b"], false).Args, One<CmdInstruction>("CMD [\"a\", \"b\"]").Command.Args);
        Assert.True(One<CmdInstruction>("CMD echo $HOME").Command.PrependShell);
        Assert.Equal(["echo $HOME"], One<CmdInstruction>("CMD echo $HOME").Command.Args);
        Assert.Empty(One<CmdInstruction>("CMD").Command.Args);
        Assert.Empty(One<CmdInstruction>("CMD []").Command.Args);
        Assert.False(One<CmdInstruction>("CMD []").Command.PrependShell);
        Assert.Equal(["/e"], One<EntrypointInstruction>("ENTRYPOINT [\"/e\"]").Command.Args);
        Assert.Equal(["/e -x"], One<EntrypointInstruction>("entrypoint /e -x").Command.Args);
        Assert.Equal(Line2("Unknown flag: x"), Error("CMD --x=1 a"));
        Assert.Equal("failed to parse Dockerfile: when using JSON array syntax, arrays must be comprised of strings only", Error("CMD [\"a\", 1]"));
    }

    [Fact]
    public void Env_and_label_pairs_are_kept_as_written()
    {
        Assert.Equal([new KeyValue("A", "1"), new KeyValue("B", "\"two words\""), new KeyValue("C", "'$x'")], One<EnvInstruction>("ENV A=1 B=\"two words\" C='$x'").Pairs);
        Assert.Equal([new KeyValue("K", "v  with \\\"spaces\\\"")], One<EnvInstruction>("ENV K   v  with \\\"spaces\\\"").Pairs);
        Assert.Equal([new KeyValue("a.b", "c"), new KeyValue("\"d e\"", "\"f\"")], One<LabelInstruction>("LABEL a.b=c \"d e\"=\"f\"").Pairs);
        Assert.Equal([new KeyValue("legacy", "form value")], One<LabelInstruction>("LABEL legacy form value").Pairs);
        Assert.Equal([new KeyValue("A", "")], One<EnvInstruction>("ENV A=").Pairs);
    }

    [Theory]
    [InlineData("ENV", "dockerfile parse error line 2: ENV requires at least one argument")]
    [InlineData("LABEL", "dockerfile parse error line 2: LABEL requires at least one argument")]
    [InlineData("ENV =x", "dockerfile parse error line 2: ENV names can not be blank")]
    [InlineData("LABEL =x", "dockerfile parse error line 2: LABEL names can not be blank")]
    [InlineData("ENV a", "failed to parse Dockerfile: ENV must have two arguments")]
    [InlineData("LABEL a", "failed to parse Dockerfile: LABEL must have two arguments")]
    [InlineData("ENV a=1 b", "failed to parse Dockerfile: Syntax error - can't find = in \"b\". Must be of the form: name=value")]
    [InlineData("ENV --x=1 a=b", "dockerfile parse error line 2: Unknown flag: x")]
    public void Env_and_label_errors(string line, string message) => Assert.Equal(message, Error(line));

    [Fact]
    public void Expose() => Assert.Equal(["80", "53/udp", "$P"], One<ExposeInstruction>("EXPOSE 80  53/udp\t$P").Ports);

    [Fact]
    public void Copy_and_add()
    {
        var copy = One<CopyInstruction>("COPY --from=build --chown=1:2 --chmod=644 --link --parents --exclude=*.tmp --exclude=.git a b/ /dst/");
        Assert.False(copy.IsAdd);
        Assert.Equal(["a", "b/"], copy.Sources);
        Assert.Equal("/dst/", copy.Destination);
        Assert.Equal(("build", "1:2", "644"), (copy.From, copy.Chown, copy.Chmod));
        Assert.True(copy.Link && copy.Parents);
        Assert.Equal(["*.tmp", ".git"], copy.Excludes);
        Assert.Empty(copy.SourceContents);

        copy = One<CopyInstruction>("COPY [\"a b\", \"/c d/\"]");
        Assert.Equal(["a b"], copy.Sources);
        Assert.Equal("/c d/", copy.Destination);
        Assert.False(copy.Link || copy.Parents);
        Assert.Null(copy.From);
        Assert.False(One<CopyInstruction>("COPY --link=false a b").Link);

        var add = One<CopyInstruction>("ADD --chown=app --chmod=755 --checksum=sha256:abc --keep-git-dir=true --link --exclude=x https://example.com/a.tgz /opt/");
        Assert.True(add.IsAdd);
        Assert.Equal("ADD", add.Keyword);
        Assert.Equal(["https://example.com/a.tgz"], add.Sources);
        Assert.Equal(("app", "755", "sha256:abc"), (add.Chown, add.Chmod, add.Checksum));
        Assert.True(add.KeepGitDir && add.Link);
        Assert.Equal(["x"], add.Excludes);
    }

    [Theory]
    [InlineData("COPY a", "COPY requires at least two arguments, but only one was provided. Destination could not be determined")]
    [InlineData("COPY", "COPY requires at least two arguments, but only one was provided. Destination could not be determined")]
    [InlineData("ADD a", "ADD requires at least two arguments, but only one was provided. Destination could not be determined")]
    [InlineData("COPY --frm=x a b", "Unknown flag: frm")]
    [InlineData("COPY --chown a b", "Missing a value on flag: chown")]
    [InlineData("COPY --from=a --from=b a b", "Duplicate flag specified: from")]
    [InlineData("COPY --link=maybe a b", "Expecting boolean value for flag link, not: maybe")]
    [InlineData("COPY --link= a b", "Missing a value on flag: link")]
    [InlineData("COPY --checksum=x a b", "Unknown flag: checksum")]
    [InlineData("COPY --keep-git-dir a b", "Unknown flag: keep-git-dir")]
    [InlineData("ADD --from=x a b", "Unknown flag: from")]
    [InlineData("ADD --parents a b", "Unknown flag: parents")]
    [InlineData("COPY --platform=x a b", "Unknown flag: platform")]
    public void Copy_errors(string line, string message) => Assert.Equal(Line2(message), Error(line));

    [Fact]
    public void Volume()
    {
        Assert.Equal(["/a", "/b"], One<VolumeInstruction>("VOLUME /a /b").Paths);
        Assert.Equal(["/c d", "/e"], One<VolumeInstruction>("VOLUME [\"/c d\", \" /e \"]").Paths);
        Assert.Equal(Line2("VOLUME requires at least one argument"), Error("VOLUME"));
        Assert.Equal(Line2("VOLUME specified can not be an empty string"), Error("VOLUME [\"\"]"));
    }

    [Fact]
    public void User_workdir_stopsignal_maintainer_take_the_rest_of_the_line()
    {
        Assert.Equal("app:app", One<UserInstruction>("USER app:app").User);
        Assert.Equal("a b", One<UserInstruction>("USER a b").User);
        Assert.Equal("/srv/my app", One<WorkdirInstruction>("WORKDIR /srv/my app").Path);
        Assert.Equal("SIGTERM", One<StopsignalInstruction>("STOPSIGNAL SIGTERM").Signal);
        Assert.Equal("Jane <jane@example.com>", One<MaintainerInstruction>("MAINTAINER Jane <jane@example.com>").Maintainer);
    }

    [Theory]
    [InlineData("USER", "USER requires exactly one argument")]
    [InlineData("WORKDIR", "WORKDIR requires exactly one argument")]
    [InlineData("STOPSIGNAL", "STOPSIGNAL requires exactly one argument")]
    [InlineData("MAINTAINER", "MAINTAINER requires exactly one argument")]
    [InlineData("EXPOSE", "EXPOSE requires at least one argument")]
    [InlineData("USER --chown=1 x", "Unknown flag: chown")]
    [InlineData("WORKDIR --x=1 /a", "Unknown flag: x")]
    [InlineData("USER -- x", null)]
    public void Single_argument_errors(string line, string? message)
    {
        if (message is null)
            Assert.Equal("x", One<UserInstruction>(line).User);
        else
            Assert.Equal(Line2(message), Error(line));
    }

    [Fact]
    public void Arg()
    {
        Assert.Equal([new ArgDeclaration("A", null), new ArgDeclaration("B", "1"), new ArgDeclaration("C", ""), new ArgDeclaration("D", "\"x y\"")],
            One<ArgInstruction>("ARG A B=1 C= D=\"x y\"").Args);
        Assert.Equal(Line2("ARG requires at least one argument"), Error("ARG"));
        Assert.Equal(Line2("ARG names can not be blank"), Error("ARG =x"));
        // Docker 20.10 reads no flags on ARG.
        Assert.Equal([new ArgDeclaration("a", null)], One<ArgInstruction>("ARG --x=1 a").Args);
    }

    [Fact]
    public void Onbuild_keeps_the_trigger_text()
    {
        Assert.Equal("RUN echo $HOME", One<OnbuildInstruction>("ONBUILD RUN echo $HOME").Trigger);
        Assert.Equal("ADD . /app", One<OnbuildInstruction>("onbuild   ADD . /app").Trigger);
        Assert.Equal("COPY --from=x a b", One<OnbuildInstruction>("ONBUILD COPY --from=x a b").Trigger);
    }

    [Theory]
    [InlineData("ONBUILD", "ONBUILD requires at least one argument")]
    [InlineData("ONBUILD ONBUILD RUN x", "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed")]
    [InlineData("ONBUILD from x", "FROM isn't allowed as an ONBUILD trigger")]
    [InlineData("ONBUILD MAINTAINER me", "MAINTAINER isn't allowed as an ONBUILD trigger")]
    public void Onbuild_errors(string line, string message) => Assert.Equal(Line2(message), Error(line));

    [Fact]
    public void Healthcheck()
    {
        var h = One<HealthcheckInstruction>("HEALTHCHECK --interval=30s --timeout=1m30s --start-period=1.5s --start-interval=500ms --retries=3 CMD curl -f http://localhost/");
        Assert.Equal(["CMD-SHELL", "curl -f http://localhost/"], h.Test);
        Assert.Equal((TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(90), TimeSpan.FromSeconds(1.5), TimeSpan.FromMilliseconds(500), 3),
            (h.Interval!.Value, h.Timeout!.Value, h.StartPeriod!.Value, h.StartInterval!.Value, h.Retries!.Value));
        h = One<HealthcheckInstruction>("HEALTHCHECK cmd [\"/check\", \"-v\"]");
        Assert.Equal(["CMD", "/check", "-v"], h.Test);
        Assert.Null(h.Interval);
        Assert.Null(h.Retries);
        Assert.Equal(["NONE"], One<HealthcheckInstruction>("HEALTHCHECK NONE").Test);
        // Docker reads no flags for NONE.
        Assert.Equal(["NONE"], One<HealthcheckInstruction>("HEALTHCHECK --interval=1s none").Test);
        Assert.Equal(TimeSpan.FromTicks(10_005), One<HealthcheckInstruction>("HEALTHCHECK --interval=1ms500ns CMD x").Interval);
        Assert.Equal(TimeSpan.FromHours(1.5), One<HealthcheckInstruction>("HEALTHCHECK --timeout=1.5h CMD x").Timeout);
    }

    [Theory]
    [InlineData("HEALTHCHECK", "HEALTHCHECK requires at least one argument")]
    [InlineData("HEALTHCHECK FOO", "Unknown type \"FOO\" in HEALTHCHECK (try CMD)")]
    [InlineData("HEALTHCHECK NONE x", "HEALTHCHECK NONE takes no arguments")]
    [InlineData("HEALTHCHECK CMD", "Missing command after HEALTHCHECK CMD")]
    [InlineData("HEALTHCHECK --interval=5 CMD x", "time: missing unit in duration \"5\"")]
    [InlineData("HEALTHCHECK --interval=5q CMD x", "time: unknown unit \"q\" in duration \"5q\"")]
    [InlineData("HEALTHCHECK --timeout=abc CMD x", "time: invalid duration \"abc\"")]
    [InlineData("HEALTHCHECK --interval=0.5ms CMD x", "Interval \"interval\" cannot be less than 1ms")]
    [InlineData("HEALTHCHECK --interval=0s CMD x", "Interval \"interval\" cannot be less than 1ms")]
    [InlineData("HEALTHCHECK --retries=x CMD x", "strconv.ParseInt: parsing \"x\": invalid syntax")]
    [InlineData("HEALTHCHECK --retries=99999999999 CMD x", "strconv.ParseInt: parsing \"99999999999\": value out of range")]
    [InlineData("HEALTHCHECK --retries=0 CMD x", "--retries must be at least 1 (not 0)")]
    [InlineData("HEALTHCHECK --foo=1 CMD x", "Unknown flag: foo")]
    [InlineData("HEALTHCHECK --interval CMD x", "Missing a value on flag: interval")]
    public void Healthcheck_errors(string line, string message) => Assert.Equal(Line2(message), Error(line));

    [Fact]
    public void Shell()
    {
        Assert.Equal(["/bin/bash", "-o", "pipefail", "-c"], One<ShellInstruction>("SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]").Shell);
        Assert.Equal(Line2("SHELL requires the arguments to be in JSON form"), Error("SHELL sh -c"));
        Assert.Equal(Line2("SHELL requires at least one argument"), Error("SHELL"));
        Assert.Equal(Line2("SHELL requires at least one argument"), Error("SHELL []"));
    }

    [Fact]
    public void Flag_words_may_be_quoted()
        => Assert.Equal("a b", One<CopyInstruction>("COPY --chown=\"a b\" x y").Chown);

    [Fact]
    public void Instructions_name_their_keyword()
    {
        string[] lines = ["RUN x", "CMD x", "ENTRYPOINT x", "ENV a=b", "LABEL a=b", "EXPOSE 1", "ADD a b", "COPY a b", "VOLUME /v", "USER u",
            "WORKDIR /w", "ARG a", "ONBUILD RUN x", "STOPSIGNAL 9", "HEALTHCHECK NONE", "SHELL [\"sh\"]", "MAINTAINER m"];
        var body = Body(string.Join('\n', lines));
        Assert.Equal(lines.Select(l => l.Split(' ')[0]), body.Select(i => i.Keyword));
        Assert.Equal(lines, body.Select(i => i.Original));
    }
}
