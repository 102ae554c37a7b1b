using Berth.Build.Dockerfile;

namespace Berth.Build.Tests.Dockerfile;

/// <summary>The parser on its own: directives, lines, heredocs, stages. Each instruction's own tests are in <see cref="InstructionTests"/>.</summary>
public sealed class DockerfileParserTests
{
    internal static DockerfileDocument Parse(string text) => DockerfileParser.Parse(text);

    internal static DockerfileException Fails(string text) => Assert.Throws<DockerfileException>(() => Parse(text));

    internal static IReadOnlyList<Instruction> Body(string text) => Assert.Single(Parse("FROM scratch\n" + text).Stages).Instructions;

    [Fact]
    public void Directives_at_the_top()
    {
        var doc = Parse("# syntax=docker/dockerfile:1\n#escape=`\n# check=skip=all\nFROM scratch\n");
        Assert.Equal(new ParserDirectives('`', "docker/dockerfile:1", "skip=all"), doc.Directives);
        Assert.Equal(new ParserDirectives(), Parse("FROM scratch").Directives);
    }

    [Fact]
    public void Directives_after_a_comment_a_blank_line_or_an_instruction_are_comments()
    {
        Assert.Equal('\\', Parse("# a comment\n# escape=`\nFROM scratch").Directives.Escape);
        Assert.Equal('\\', Parse("\n# escape=`\nFROM scratch").Directives.Escape);
        Assert.Equal('\\', Parse("FROM scratch\n# escape=`\n").Directives.Escape);
        // An unknown directive is a comment and ends the directives.
        Assert.Equal('\\', Parse("# foo=bar\n# escape=`\nFROM scratch").Directives.Escape);
        Assert.Equal('`', Parse("  #  ESCAPE = `  \nFROM scratch").Directives.Escape);
    }

    [Fact]
    public void Directive_errors()
    {
        Assert.Equal("failed to parse Dockerfile: invalid escape token 'x' does not match ` or \\", Fails("# escape=x\nFROM scratch").Message);
        Assert.Equal("failed to parse Dockerfile: only one escape parser directive can be used", Fails("# escape=`\n# escape=\\\nFROM scratch").Message);
        Assert.Equal("failed to parse Dockerfile: only one syntax parser directive can be used", Fails("# syntax=a\n# syntax=b\nFROM scratch").Message);
    }

    [Fact]
    public void Escape_directive_changes_the_continuation()
    {
        var run = Assert.IsType<RunInstruction>(Assert.Single(Parse("# escape=`\nFROM scratch\nRUN echo a `\n  b c:\\dir").Stages[0].Instructions));
        Assert.Equal(["echo a   b c:\\dir"], run.Command.Args);
    }

    [Fact]
    public void Comments_blank_lines_and_leading_white_space()
    {
        var body = Body("# comment\n\n   \n   # indented comment\n  \tUSER u  \r\n");
        Assert.Equal("u", Assert.IsType<UserInstruction>(Assert.Single(body)).User);
        Assert.Equal("RUN echo # not a comment", Assert.Single(Body("RUN echo # not a comment")).Original);
    }

    [Fact]
    public void Continuations_join_lines_and_skip_comments_and_blank_lines_inside()
    {
        var run = Assert.IsType<RunInstruction>(Assert.Single(Body("RUN echo a \\\n# comment\n   # indented comment\n\n   \n  b \\  \n c")));
        Assert.Equal(["echo a   b  c"], run.Command.Args);
        Assert.Equal(new SourceLocation("Dockerfile", 2, 8), run.Location);
        Assert.Equal("RUN echo a   b  c", run.Original);
    }

    [Fact]
    public void A_continuation_at_the_end_of_the_file_ends_the_instruction()
        => Assert.Equal(["echo"], Assert.IsType<RunInstruction>(Assert.Single(Body("RUN echo \\"))).Command.Args);

    [Fact]
    public void Locations_name_the_file_and_lines()
    {
        var doc = DockerfileParser.Parse("FROM scratch\n\nUSER a\nENV a=1 \\\n  b=2\n", "build/Dockerfile.dev");
        Assert.Equal(new SourceLocation("build/Dockerfile.dev", 1, 1), doc.Stages[0].From.Location);
        Assert.Equal(new SourceLocation("build/Dockerfile.dev", 3, 3), doc.Stages[0].Instructions[0].Location);
        Assert.Equal(new SourceLocation("build/Dockerfile.dev", 4, 5), doc.Stages[0].Instructions[1].Location);
    }

    [Fact]
    public void Byte_order_mark_and_crlf()
    {
        var doc = Parse("\uFEFFFROM scratch\r\nUSER u\r\n");
        Assert.Equal("scratch", doc.Stages[0].From.Image);
        Assert.Equal("u", Assert.IsType<UserInstruction>(doc.Stages[0].Instructions[0]).User);
    }

    [Fact]
    public void Heredoc_run()
    {
        var run = Assert.IsType<RunInstruction>(Assert.Single(Body("RUN <<EOF\necho $HOME\n  indented\nEOF\nUSER u").Take(1)));
        Assert.Equal(["<<EOF"], run.Command.Args);
        Assert.True(run.Command.PrependShell);
        Assert.Equal([new Heredoc("EOF", "echo $HOME\n  indented\n", true, false)], run.Heredocs);
        Assert.Equal(new SourceLocation("Dockerfile", 2, 5), run.Location);
        Assert.Equal(2, Body("RUN <<EOF\necho $HOME\nEOF\nUSER u").Count);
    }

    [Fact]
    public void Heredoc_with_tab_stripping()
    {
        var run = Assert.IsType<RunInstruction>(Assert.Single(Body("RUN <<-EOF\n\t\techo a\n\t  b\n\tEOF")));
        Assert.Equal([new Heredoc("EOF", "echo a\n  b\n", true, true)], run.Heredocs);
    }

    [Fact]
    public void Quoted_heredoc_names_are_not_expanded()
    {
        var run = Assert.IsType<RunInstruction>(Assert.Single(Body("RUN <<\"EOF\" cat\n$HOME\nEOF")));
        Assert.Equal([new Heredoc("EOF", "$HOME\n", false, false)], run.Heredocs);
        run = Assert.IsType<RunInstruction>(Assert.Single(Body("RUN <<'EOF'\n$HOME\nEOF")));
        Assert.Equal([new Heredoc("EOF", "$HOME\n", false, false)], run.Heredocs);
    }

    [Fact]
    public void Several_heredocs_on_one_line()
    {
        var run = Assert.IsType<RunInstruction>(Assert.Single(Body("RUN python3 /dev/fd/3 3<<PY <<SH\nprint(1)\nPY\necho 2\nSH")));
        Assert.Equal([new Heredoc("PY", "print(1)\n", true, false), new Heredoc("SH", "echo 2\n", true, false)], run.Heredocs);
    }

    [Fact]
    public void Heredoc_copy_sources()
    {
        var copy = Assert.IsType<CopyInstruction>(Assert.Single(Body("COPY <<EOF /etc/motd\nhello\nEOF")));
        Assert.Empty(copy.Sources);
        Assert.Equal("/etc/motd", copy.Destination);
        Assert.Equal([new Heredoc("EOF", "hello\n", true, false)], copy.SourceContents);

        copy = Assert.IsType<CopyInstruction>(Assert.Single(Body("COPY <<a.txt real.txt <<b.txt /dir/\nA\na.txt\nB\nb.txt")));
        Assert.Equal(["real.txt"], copy.Sources);
        Assert.Equal([new Heredoc("a.txt", "A\n", true, false), new Heredoc("b.txt", "B\n", true, false)], copy.SourceContents);
    }

    [Fact]
    public void Heredoc_errors()
    {
        var e = Fails("FROM scratch\nRUN <<EOF\necho\n");
        Assert.Equal("failed to parse Dockerfile: unterminated heredoc", e.Message);
        Assert.Equal(2, e.Location!.StartLine);
        Assert.Equal("dockerfile parse error line 2: COPY cannot accept a heredoc as a destination", Fails("FROM scratch\nCOPY a <<EOF\nx\nEOF").Message);
    }

    [Fact]
    public void No_heredocs_in_exec_form_or_other_instructions()
    {
        var run = Assert.IsType<RunInstruction>(Body("RUN [\"cat\", \"<<EOF\"]\nUSER u")[0]);
        Assert.Empty(run.Heredocs);
        Assert.Equal("<<EOF", Assert.IsType<UserInstruction>(Assert.Single(Body("USER <<EOF"))).User);
        Assert.Empty(Assert.IsType<RunInstruction>(Assert.Single(Body("RUN echo a<<b"))).Heredocs);
    }

    [Fact]
    public void Heredoc_in_an_onbuild_trigger_keeps_its_text()
        => Assert.Equal("RUN <<EOF", Assert.IsType<OnbuildInstruction>(Assert.Single(Body("ONBUILD RUN <<EOF\necho\nEOF"))).Trigger);

    [Fact]
    public void Stages_in_order_named_in_lower_case()
    {
        var doc = Parse("FROM alpine AS Build\nRUN make\nFROM scratch\nCOPY --from=build /out /\nFROM build as Test");
        Assert.Equal([(0, "build"), (1, null), (2, "test")], doc.Stages.Select(s => (s.Index, s.Name)));
        Assert.Equal(["RUN"], doc.Stages[0].Instructions.Select(i => i.Keyword));
        Assert.Equal(["COPY"], doc.Stages[1].Instructions.Select(i => i.Keyword));
        Assert.Empty(doc.Stages[2].Instructions);
    }

    [Fact]
    public void Args_before_the_first_from_are_meta_args()
    {
        var doc = Parse("ARG BASE=alpine\nARG TAG\nFROM ${BASE}:${TAG}\nARG TAG");
        Assert.Equal([[new ArgDeclaration("BASE", "alpine")], [new ArgDeclaration("TAG", null)]], doc.MetaArgs.Select(a => a.Args));
        Assert.Equal("${BASE}:${TAG}", doc.Stages[0].From.Image);
        Assert.IsType<ArgInstruction>(Assert.Single(doc.Stages[0].Instructions));
    }

    [Fact]
    public void Stage_errors()
    {
        var e = Fails("FROM a AS x\nFROM b AS X");
        Assert.Equal("x stage name already used", e.Message);
        Assert.Equal(2, e.Location!.StartLine);
        e = Fails("ENV a=b\nFROM scratch");
        Assert.Equal("no build stage in current context", e.Message);
        Assert.Equal(1, e.Location!.StartLine);
        Assert.Equal("no build stage in current context", Fails("# c\nRUN x").Message);
    }

    [Fact]
    public void File_errors()
    {
        Assert.Equal("the Dockerfile (Dockerfile) cannot be empty", Fails("").Message);
        Assert.Equal("the Dockerfile (other.Dockerfile) cannot be empty", Assert.Throws<DockerfileException>(() => DockerfileParser.Parse("", "other.Dockerfile")).Message);
        Assert.Equal("failed to parse Dockerfile: file with no instructions", Fails("# only a comment\n\n").Message);
        Assert.Null(Fails("").Location);
    }

    [Fact]
    public void Unknown_instruction()
    {
        var e = Fails("FROM scratch\n\nFOO bar");
        Assert.Equal("dockerfile parse error line 3: unknown instruction: FOO", e.Message);
        Assert.Equal(new SourceLocation("Dockerfile", 3, 3), e.Location);
        Assert.Equal("dockerfile parse error line 1: unknown instruction: FOO", Fails("foo x\nFROM scratch").Message);
    }

    [Fact]
    public void Keywords_are_case_insensitive()
        => Assert.Equal(["RUN", "USER"], Parse("from scratch\nrun x\nUsEr u").Stages[0].Instructions.Select(i => i.Keyword));
}
