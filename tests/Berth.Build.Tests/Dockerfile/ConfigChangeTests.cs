using Berth.Build.Dockerfile;
using Berth.Images;
using Berth.Oci.Image;

namespace Berth.Build.Tests.Dockerfile;

public sealed class ConfigChangeTests
{
    static ExecutionConfig Apply(params string[] changes) => ConfigChanges.Apply(null, changes);

    static ExecutionConfig Apply(ExecutionConfig config, params string[] changes) => ConfigChanges.Apply(config, changes);

    static string Error(params string[] changes)
    {
        var e = Assert.Throws<StoreException>(() => Apply(changes));
        Assert.Equal(StoreErrorKind.InvalidArgument, e.Kind);
        return e.Message;
    }

    [Fact]
    public void NoChangesGiveTheConfigBack()
    {
        ExecutionConfig config = new() { User = "u" };
        Assert.Same(config, ConfigChanges.Apply(config, []));
    }

    [Fact]
    public void CmdExecFormIsKept() => Assert.Equal(["a", "b c"], Apply("""CMD ["a","b c"]""").Cmd);

    [Fact]
    public void CmdShellFormRunsInShell() => Assert.Equal(["/bin/sh", "-c", "echo  $HOME \"x\""], Apply("cmd echo  $HOME \"x\"").Cmd);

    [Fact]
    public void ShellFormUsesTheConfigsShell()
        => Assert.Equal(["/bin/bash", "-xc", "echo hi"], Apply(new ExecutionConfig { Shell = ["/bin/bash", "-xc"] }, "CMD echo hi").Cmd);

    [Fact]
    public void EmptyCmdAndEntrypoint()
    {
        var config = Apply(new ExecutionConfig { Cmd = ["x"], Entrypoint = ["y"] }, "CMD []", "ENTRYPOINT []");
        Assert.Empty(config.Entrypoint!);
        Assert.Null(config.Cmd); // CMD [] does not count as set
        Assert.Empty(Apply("CMD").Cmd!);
    }

    [Fact]
    public void InvalidJsonIsShellForm() => Assert.Equal(["/bin/sh", "-c", "[not json"], Apply("ENTRYPOINT [not json").Entrypoint);

    [Fact]
    public void EntrypointAloneClearsCmd()
    {
        var config = Apply(new ExecutionConfig { Cmd = ["old"] }, """ENTRYPOINT ["/e"]""");
        Assert.Equal(["/e"], config.Entrypoint);
        Assert.Null(config.Cmd);
    }

    [Fact]
    public void CmdThenEntrypointKeepsCmd()
    {
        var config = Apply("""CMD ["c"]""", "ENTRYPOINT e");
        Assert.Equal(["c"], config.Cmd);
        Assert.Equal(["/bin/sh", "-c", "e"], config.Entrypoint);
    }

    [Fact]
    public void EntrypointThenCmdSetsBoth()
    {
        var config = Apply("""ENTRYPOINT ["e"]""", """CMD ["c"]""");
        Assert.Equal(["c"], config.Cmd);
        Assert.Equal(["e"], config.Entrypoint);
    }

    [Fact]
    public void EnvPairsReplaceInPlace()
    {
        var config = Apply(new ExecutionConfig { Env = ["A=1", "PATH=/bin", "B=2"] }, "ENV PATH=/usr/bin C=\"v 2\" A='x y'");
        Assert.Equal(["A=x y", "PATH=/usr/bin", "B=2", "C=v 2"], config.Env);
    }

    [Fact]
    public void EnvLegacyForm() => Assert.Equal(["K=v  with \"spaces\""], Apply("ENV K   v  with \\\"spaces\\\"").Env);

    [Fact]
    public void EnvSubstitution()
    {
        var config = Apply(new ExecutionConfig { Env = ["HOME=/root", "EMPTY="] },
            "ENV A=$HOME/a B=${HOME}b C=${NOPE:-dflt} D=${HOME:+set} E=${NOPE:+set} F=${EMPTY:-e} G=${EMPTY-g} H=\\$HOME I='$HOME' J=\"$HOME\"");
        Assert.Equal(["HOME=/root", "EMPTY=", "A=/root/a", "B=/rootb", "C=dflt", "D=set", "E=", "F=e", "G=", "H=$HOME", "I=$HOME", "J=/root"], config.Env);
    }

    [Fact]
    public void EnvSeesPreviousChangesNotItsOwnLine()
    {
        var config = Apply("ENV A=1", "ENV A=2 B=$A", "ENV C=$A");
        Assert.Equal(["A=2", "B=1", "C=2"], config.Env);
    }

    [Fact]
    public void SubstitutionErrors()
    {
        // dockerd 20.10's texts (docker import --change).
        Assert.Equal("failed to process \"${A\": missing ':' in substitution", Error("ENV X=${A"));
        Assert.Equal("failed to process \"${A:-x\": syntax error: missing '}'", Error("ENV X=${A:-x"));
        Assert.Equal("failed to process \"${}\": syntax error: bad substitution", Error("ENV X=${}"));
        Assert.Equal("failed to process \"${A:x}\": unsupported modifier (x) in substitution", Error("ENV X=${A:x}"));
        Assert.Equal("failed to process \"\\\"a\": unexpected end of statement while looking for matching double-quote", Error("LABEL X=\"a"));
    }

    [Fact]
    public void PatternSubstitutionsAsTheBuilderHasThem()
        => Assert.Equal(["V=a.b.c", "X=b.c", "Y=a.b"], Apply(new ExecutionConfig { Env = ["V=a.b.c"] }, "ENV X=${V#*.} Y=${V%.*}").Env);

    [Fact]
    public void EnvErrors()
    {
        Assert.Equal("ENV requires at least one argument", Error("ENV"));
        Assert.Equal("ENV must have two arguments", Error("ENV K"));
        Assert.Equal("Syntax error - can't find = in \"b\". Must be of the form: name=value", Error("ENV a=1 b"));
        Assert.Equal("ENV names can not be blank", Error("ENV =x"));
    }

    [Fact]
    public void Expose()
    {
        var config = Apply(new ExecutionConfig { ExposedPorts = new HashSet<string> { "22/tcp" } }, "EXPOSE 80 443/tcp 53/UDP", "expose 8000-8002/sctp");
        Assert.Equal(["22/tcp", "443/tcp", "53/udp", "80/tcp", "8000/sctp", "8001/sctp", "8002/sctp"], config.ExposedPorts!.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ExposeSubstitutesAndSplitsWords()
        => Assert.Equal(["443/tcp", "80/tcp"], Apply(new ExecutionConfig { Env = ["P=80 443"] }, "EXPOSE $P").ExposedPorts!.Order(StringComparer.Ordinal));

    [Fact]
    public void ExposeErrors()
    {
        Assert.Equal("EXPOSE requires at least one argument", Error("EXPOSE"));
        Assert.Equal("Invalid containerPort: http", Error("EXPOSE http"));
        Assert.Equal("Invalid containerPort: 70000", Error("EXPOSE 70000"));
        Assert.Equal("Invalid proto: icmp", Error("EXPOSE 80/icmp"));
    }

    [Fact]
    public void LabelsMerge()
    {
        var config = Apply(new ExecutionConfig { Labels = new Dictionary<string, string> { ["a"] = "old", ["keep"] = "k" } },
            "LABEL a=new \"b c\"=\"quoted value\"", "LABEL legacy form value");
        Assert.Equal(new Dictionary<string, string> { ["a"] = "new", ["b c"] = "quoted value", ["keep"] = "k", ["legacy"] = "form value" }, config.Labels);
    }

    [Fact]
    public void Onbuild()
    {
        var config = Apply(new ExecutionConfig { OnBuild = ["RUN a"] }, "ONBUILD RUN echo $HOME", "onbuild   ADD . /app");
        Assert.Equal(["RUN a", "RUN echo $HOME", "ADD . /app"], config.OnBuild);
    }

    [Fact]
    public void OnbuildErrors()
    {
        Assert.Equal("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed", Error("ONBUILD ONBUILD RUN x"));
        Assert.Equal("FROM isn't allowed as an ONBUILD trigger", Error("ONBUILD from busybox"));
        Assert.Equal("MAINTAINER isn't allowed as an ONBUILD trigger", Error("ONBUILD MAINTAINER me"));
        Assert.Equal("ONBUILD requires at least one argument", Error("ONBUILD"));
    }

    [Fact]
    public void User()
    {
        Assert.Equal("1000:1000", Apply("USER 1000:1000").User);
        Assert.Equal("app", Apply(new ExecutionConfig { Env = ["U=app"] }, "USER ${U}").User);
        Assert.Equal("USER requires exactly one argument", Error("USER"));
    }

    [Fact]
    public void Workdir()
    {
        Assert.Equal("/a/b/c", Apply("WORKDIR /a", "WORKDIR b", "WORKDIR ./c/").WorkingDir);
        Assert.Equal("/x", Apply(new ExecutionConfig { WorkingDir = "/a/b" }, "WORKDIR ../../../x").WorkingDir);
        Assert.Equal("/rel", Apply("WORKDIR rel").WorkingDir);
        Assert.Equal("/abs//kept/", Apply("WORKDIR /abs//kept/").WorkingDir);
        Assert.Equal("/root/w", Apply(new ExecutionConfig { Env = ["H=/root"] }, "WORKDIR $H/w").WorkingDir);
        Assert.Equal("cannot normalize nothing", Error("WORKDIR $UNSET"));
        Assert.Equal("WORKDIR requires exactly one argument", Error("WORKDIR"));
    }

    [Fact]
    public void Volume()
    {
        var config = Apply(new ExecutionConfig { Volumes = new HashSet<string> { "/old" } }, "VOLUME /a /b", """VOLUME ["/c d", "/e"]""");
        Assert.Equal(["/a", "/b", "/c d", "/e", "/old"], config.Volumes!.Order(StringComparer.Ordinal));
        Assert.Equal("VOLUME requires at least one argument", Error("VOLUME"));
        Assert.Equal("VOLUME specified can not be an empty string", Error("""VOLUME ["/a", " "]"""));
    }

    [Fact]
    public void OtherInstructionsAreRefused()
    {
        Assert.Equal("from is not a valid change command", Error("FROM busybox"));
        Assert.Equal("run is not a valid change command", Error("RUN true"));
        Assert.Equal("healthcheck is not a valid change command", Error("HEALTHCHECK NONE"));
        Assert.Equal("nonsense is not a valid change command", Error("NONSENSE x"));
        // Parsed and checked before anything is applied: a bad one refuses all.
        Assert.Equal("stopsignal is not a valid change command", Error("CMD x", "STOPSIGNAL 9"));
    }

    [Fact]
    public void ParseErrors()
    {
        Assert.Equal("when using JSON array syntax, arrays must be comprised of strings only", Error("""CMD ["a", 1]"""));
        Assert.Equal("file with no instructions", Error(""));
        Assert.Equal("Unknown flag: chown", Error("USER --chown=1 x"));
    }

    [Fact]
    public void CommentsAndBlankLinesAreSkipped() => Assert.Equal("u", Apply("# comment", "", "  USER u").User);

    [Fact]
    public void OriginalIsNotModified()
    {
        ExecutionConfig config = new() { Env = ["A=1"], Cmd = ["c"] };
        var changed = Apply(config, "ENV A=2", "ENTRYPOINT e");
        Assert.Equal(["A=1"], config.Env);
        Assert.Equal(["c"], config.Cmd);
        Assert.Equal(["A=2"], changed.Env);
    }
}
