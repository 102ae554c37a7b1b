using Berth.Build.Dockerfile;
using Berth.TestSupport;

namespace Berth.Build.Tests.Dockerfile;

/// <summary>
/// Broken Dockerfiles given to the real dockerd 20.10's legacy builder (<c>docker build</c> of docker.io) and to
/// <see cref="DockerfileParser"/>: Docker's error is ours, word for word. Only <c>FROM scratch</c>, nothing pulled.
/// </summary>
public sealed class DockerfileDockerTests(DockerDaemon docker) : IClassFixture<DockerDaemon>
{
    public static TheoryData<string> ParseErrors =>
    [
        "FROM scratch\nFOO bar",
        "FROM scratch\nCOPY --frm=x a b",
        "FROM scratch\nCOPY --from=a --from=b a b",
        "FROM scratch\nCOPY a",
        "FROM scratch\nUSER",
        "FROM scratch\nENV",
        "FROM scratch\nENV =x",
        "FROM scratch\nENV a",
        "FROM scratch\nENV a=1 b",
        "FROM scratch\nCMD [\"a\", 1]",
        "FROM scratch\nSHELL sh -c",
        "FROM scratch\nONBUILD ONBUILD RUN x",
        "FROM scratch\nONBUILD FROM x",
        "FROM scratch\nHEALTHCHECK FOO",
        "FROM scratch\nHEALTHCHECK --interval=5 CMD x",
        "FROM scratch\nHEALTHCHECK --interval=0.5ms CMD x",
        "FROM scratch\nHEALTHCHECK --retries=0 CMD x",
        "FROM scratch\nVOLUME [\"\"]",
        "FROM a b",
        "FROM a AS 1b",
        "ENV a=b\nFROM scratch",
        "# escape=x\nFROM scratch",
        "# syntax=a\n# syntax=b\nFROM scratch",
        "# only a comment",
        "",
        "FROM scratch\nRUN echo \\\n# comment\n\n  && true\nWORKDIR",
    ];

    [Theory]
    [MemberData(nameof(ParseErrors))]
    public void Parse_errors_are_dockers(string dockerfile)
    {
        string theirs = Build(dockerfile);
        var ours = Assert.Throws<DockerfileException>(() => DockerfileParser.Parse(dockerfile));
        Assert.Contains("Error response from daemon: " + ours.Message + "\n", theirs);
    }

    public static TheoryData<string> ExpansionErrors =>
    [
        "FROM scratch\nENV a=${b",
        "FROM scratch\nENV a=${b:x}",
        "FROM scratch\nWORKDIR ${x:?must set}",
        "FROM scratch\nLABEL a=\"b",
    ];

    [Theory]
    [MemberData(nameof(ExpansionErrors))]
    public void Expansion_errors_are_dockers(string dockerfile)
    {
        string theirs = Build(dockerfile);
        var instruction = DockerfileParser.Parse(dockerfile).Stages[0].Instructions[0];
        var ours = Assert.Throws<DockerfileException>(() => instruction.Expand(w => new ShellLex().ProcessWord(w, new Dictionary<string, string>())));
        Assert.Contains(ours.Message, theirs);
    }

    [Fact]
    public void Duplicate_stage_names_are_refused_as_docker_refuses_them()
    {
        const string dockerfile = "FROM scratch AS a\nFROM scratch AS A";
        string theirs = Build(dockerfile);
        Assert.Contains(Assert.Throws<DockerfileException>(() => DockerfileParser.Parse(dockerfile)).Message, theirs);
    }

    [Fact]
    public void What_docker_builds_we_parse()
    {
        const string dockerfile = "# escape=`\nARG TAG=x\nFROM scratch AS Base\nENV A=1 `\n  B=\"two words\"\nLABEL a=b legacy=\"x\"\nUSER a b\n"
            + "HEALTHCHECK --interval=1s NONE\nENTRYPOINT\nCMD [\"a\"] trailing\nEXPOSE 80 53/udp\nSTOPSIGNAL SIGTERM\nONBUILD RUN x\nARG --x=1 y\nVOLUME /v\n";
        string theirs = Build(dockerfile);
        Assert.DoesNotContain("Error", theirs);
        var doc = DockerfileParser.Parse(dockerfile);
        Assert.Equal(11, doc.Stages[0].Instructions.Count);
    }

    [Theory]
    [InlineData("\\")]
    [InlineData("`")]
    public void Continuations_comments_quotes_and_substitutions_as_docker_reads_them(string escape)
    {
        string dockerfile = ("# escape=\\\nFROM scratch\nLABEL a=\"x \\\n# c\n\n   y\" \\\n  b=1\\ 2 c=$NOPE-\\$x d='q  r'\n"
            + "LABEL legacy   v  \"w\"  \\\n   # comment inside\n  z\nENV E1=1 E2=\"$E1\"\nLABEL e=$E1-${E2:-none}-${E1:+set} \"f g\"=h\n").Replace("\\", escape);
        string image = Build(dockerfile, quiet: true).Trim();
        using var theirs = System.Text.Json.JsonDocument.Parse(docker.Inspect(image, "{{json .Config}}"));
        var labels = theirs.RootElement.GetProperty("Labels").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
        var env = theirs.RootElement.GetProperty("Env").EnumerateArray().Select(e => e.GetString()!).Where(e => e.StartsWith('E')).ToList();

        var doc = DockerfileParser.Parse(dockerfile);
        ShellLex lex = new(doc.Directives.Escape);
        Dictionary<string, string> ourEnv = [];
        Dictionary<string, string> ourLabels = [];
        foreach (var instruction in doc.Stages[0].Instructions)
        {
            var expanded = instruction.Expand(w => lex.ProcessWord(w, ourEnv));
            if (expanded is EnvInstruction e)
                e.Pairs.ToList().ForEach(p => ourEnv[p.Key] = p.Value);
            else
                ((LabelInstruction)expanded).Pairs.ToList().ForEach(p => ourLabels[p.Key] = p.Value);
        }
        Assert.Equal(labels.OrderBy(l => l.Key, StringComparer.Ordinal), ourLabels.OrderBy(l => l.Key, StringComparer.Ordinal));
        Assert.Equal(env, ourEnv.Select(p => $"{p.Key}={p.Value}"));
        docker.Cli("rmi", image);
    }

    /// <summary>`docker build` of a context holding only the Dockerfile; its whole output.</summary>
    string Build(string dockerfile, bool quiet = false)
    {
        string context = docker.PathOf(TestIds.New("ctx"));
        Directory.CreateDirectory(context);
        File.WriteAllText(Path.Combine(context, "Dockerfile"), dockerfile);
        var result = docker.Cli("build", "-q", context);
        return quiet ? result.EnsureSuccess("docker build").Stdout : result.Stdout + result.Stderr;
    }
}
