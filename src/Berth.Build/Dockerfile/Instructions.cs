namespace Berth.Build.Dockerfile;

/// <summary>Where an instruction was written: the Dockerfile's name and its first and last lines (1-based).</summary>
public sealed record SourceLocation(string File, int StartLine, int EndLine);

/// <summary>A parsed Dockerfile: its directives, the ARGs before the first FROM, and its stages in order.</summary>
public sealed record DockerfileDocument(ParserDirectives Directives, IReadOnlyList<ArgInstruction> MetaArgs, IReadOnlyList<Stage> Stages);

/// <summary>The parser directives at the top of the file (<c># syntax=</c>, <c># escape=</c>, <c># check=</c>).</summary>
public sealed record ParserDirectives(char Escape = '\\', string? Syntax = null, string? Check = null);

/// <summary>
/// A build stage: its FROM and the instructions after it. <see cref="Name"/> is the <c>AS</c> name in lower case
/// (null when unnamed); stages are also named by their index.
/// </summary>
public sealed record Stage(int Index, string? Name, FromInstruction From, IReadOnlyList<Instruction> Instructions);

/// <summary>
/// A here-document (<c>&lt;&lt;EOF</c> ... <c>EOF</c>): its delimiter word, its body (lines joined by newlines,
/// ending with one), whether variables in it expand when run (an unquoted delimiter), and whether leading tabs
/// were stripped (<c>&lt;&lt;-EOF</c>).
/// </summary>
public sealed record Heredoc(string Name, string Content, bool Expand, bool Chomp);

/// <summary>
/// A command as written: exec form (a JSON array: <see cref="PrependShell"/> false) or shell form (one string run by
/// the stage's SHELL: <see cref="PrependShell"/> true, <see cref="Args"/> a single element).
/// </summary>
public sealed record CommandLine(IReadOnlyList<string> Args, bool PrependShell);

/// <summary>
/// One instruction, its words as written (variables not yet expanded; the executor expands those Docker expands,
/// through <see cref="Expand"/>). <see cref="Original"/> is the instruction's text as written, continuations joined
/// (what ONBUILD stores and what errors quote).
/// </summary>
public abstract record Instruction(SourceLocation Location, string Original)
{
    /// <summary>The keyword in upper case: RUN, COPY, ...</summary>
    public abstract string Keyword { get; }

    /// <summary>
    /// A copy with the words Docker expands replaced by <paramref name="word"/>'s result (buildkit's
    /// <c>SupportsSingleWordExpansion</c>); instructions whose words are never expanded return themselves.
    /// </summary>
    public virtual Instruction Expand(Func<string, string> word) => this;
}

/// <summary>FROM image [AS name], with <c>--platform</c>. The image word is expanded with the meta ARGs only.</summary>
public sealed record FromInstruction(SourceLocation Location, string Original, string Image, string? StageName, string? Platform)
    : Instruction(Location, Original)
{
    public override string Keyword => "FROM";

    /// <summary>The image and the platform, with the meta ARGs (the stage name is never expanded).</summary>
    public override Instruction Expand(Func<string, string> word)
        => this with { Image = word(Image), Platform = Platform is null ? null : word(Platform) };
}

/// <summary>A <c>RUN --mount=...</c>: its type (bind, cache, tmpfs, secret, ssh) and its options as written.</summary>
public sealed record RunMount(string Type, IReadOnlyDictionary<string, string> Options);

/// <summary>RUN, with <c>--mount</c>s, <c>--network</c> (none, default, host) and <c>--security</c>, and its here-documents.</summary>
public sealed record RunInstruction(SourceLocation Location, string Original, CommandLine Command, IReadOnlyList<RunMount> Mounts, string? Network, string? Security, IReadOnlyList<Heredoc> Heredocs)
    : Instruction(Location, Original)
{
    public override string Keyword => "RUN";
}

public sealed record CmdInstruction(SourceLocation Location, string Original, CommandLine Command) : Instruction(Location, Original)
{
    public override string Keyword => "CMD";
}

public sealed record EntrypointInstruction(SourceLocation Location, string Original, CommandLine Command) : Instruction(Location, Original)
{
    public override string Keyword => "ENTRYPOINT";
}

/// <summary>A <c>key=value</c> pair of ENV, LABEL or ARG (quotes removed after expansion).</summary>
public sealed record KeyValue(string Key, string Value);

public sealed record EnvInstruction(SourceLocation Location, string Original, IReadOnlyList<KeyValue> Pairs) : Instruction(Location, Original)
{
    public override string Keyword => "ENV";

    public override Instruction Expand(Func<string, string> word)
        => this with { Pairs = [.. Pairs.Select(p => new KeyValue(word(p.Key), word(p.Value)))] };
}

public sealed record LabelInstruction(SourceLocation Location, string Original, IReadOnlyList<KeyValue> Pairs) : Instruction(Location, Original)
{
    public override string Keyword => "LABEL";

    public override Instruction Expand(Func<string, string> word)
        => this with { Pairs = [.. Pairs.Select(p => new KeyValue(word(p.Key), word(p.Value)))] };
}

public sealed record ExposeInstruction(SourceLocation Location, string Original, IReadOnlyList<string> Ports) : Instruction(Location, Original)
{
    public override string Keyword => "EXPOSE";

    /// <summary>Each word expanded, then split on white space (<c>EXPOSE $PORTS</c> with PORTS="80 443").</summary>
    public override Instruction Expand(Func<string, string> word)
        => this with { Ports = [.. Ports.SelectMany(p => word(p).Split([' ', '\t', '\n', '\r', '\v', '\f'], StringSplitOptions.RemoveEmptyEntries))] };
}

/// <summary>
/// COPY and ADD. <see cref="Sources"/> are context paths (or, for COPY --from, paths in that stage or image; for ADD,
/// URLs too); <see cref="SourceContents"/> the here-documents that stand for sources.
/// </summary>
public sealed record CopyInstruction(
    SourceLocation Location,
    string Original,
    bool IsAdd,
    IReadOnlyList<string> Sources,
    string Destination,
    IReadOnlyList<Heredoc> SourceContents,
    string? From,
    string? Chown,
    string? Chmod,
    bool Link,
    bool Parents,
    IReadOnlyList<string> Excludes,
    string? Checksum,
    bool KeepGitDir)
    : Instruction(Location, Original)
{
    public override string Keyword => IsAdd ? "ADD" : "COPY";

    /// <summary>Sources, destination, --from, --chown, --chmod and --exclude; here-document bodies expand when run.</summary>
    public override Instruction Expand(Func<string, string> word) => this with
    {
        Sources = [.. Sources.Select(word)],
        Destination = word(Destination),
        From = From is null ? null : word(From),
        Chown = Chown is null ? null : word(Chown),
        Chmod = Chmod is null ? null : word(Chmod),
        Excludes = [.. Excludes.Select(word)],
    };
}

public sealed record VolumeInstruction(SourceLocation Location, string Original, IReadOnlyList<string> Paths) : Instruction(Location, Original)
{
    public override string Keyword => "VOLUME";

    public override Instruction Expand(Func<string, string> word) => this with { Paths = [.. Paths.Select(word)] };
}

public sealed record UserInstruction(SourceLocation Location, string Original, string User) : Instruction(Location, Original)
{
    public override string Keyword => "USER";

    public override Instruction Expand(Func<string, string> word) => this with { User = word(User) };
}

public sealed record WorkdirInstruction(SourceLocation Location, string Original, string Path) : Instruction(Location, Original)
{
    public override string Keyword => "WORKDIR";

    public override Instruction Expand(Func<string, string> word) => this with { Path = word(Path) };
}

/// <summary>ARG name[=default] ...; a null default means none was given.</summary>
public sealed record ArgInstruction(SourceLocation Location, string Original, IReadOnlyList<ArgDeclaration> Args) : Instruction(Location, Original)
{
    public override string Keyword => "ARG";

    /// <summary>The names and the defaults (a default sees the ARGs and ENVs before this line).</summary>
    public override Instruction Expand(Func<string, string> word)
        => this with { Args = [.. Args.Select(a => new ArgDeclaration(word(a.Name), a.Default is null ? null : word(a.Default)))] };
}

public sealed record ArgDeclaration(string Name, string? Default);

/// <summary>ONBUILD trigger: the trigger instruction's text (<c>RUN echo hi</c>) as the image's OnBuild stores it.</summary>
public sealed record OnbuildInstruction(SourceLocation Location, string Original, string Trigger) : Instruction(Location, Original)
{
    public override string Keyword => "ONBUILD";
}

public sealed record StopsignalInstruction(SourceLocation Location, string Original, string Signal) : Instruction(Location, Original)
{
    public override string Keyword => "STOPSIGNAL";

    public override Instruction Expand(Func<string, string> word) => this with { Signal = word(Signal) };
}

/// <summary>
/// HEALTHCHECK: <see cref="Test"/> is <c>["NONE"]</c>, <c>["CMD", args...]</c> or <c>["CMD-SHELL", command]</c>;
/// durations are null when not given.
/// </summary>
public sealed record HealthcheckInstruction(
    SourceLocation Location,
    string Original,
    IReadOnlyList<string> Test,
    TimeSpan? Interval,
    TimeSpan? Timeout,
    TimeSpan? StartPeriod,
    TimeSpan? StartInterval,
    int? Retries)
    : Instruction(Location, Original)
{
    public override string Keyword => "HEALTHCHECK";
}

public sealed record ShellInstruction(SourceLocation Location, string Original, IReadOnlyList<string> Shell) : Instruction(Location, Original)
{
    public override string Keyword => "SHELL";
}

public sealed record MaintainerInstruction(SourceLocation Location, string Original, string Maintainer) : Instruction(Location, Original)
{
    public override string Keyword => "MAINTAINER";
}

/// <summary>
/// A Dockerfile that cannot be parsed or an instruction that cannot be run: the message, and where it was
/// (null when the file as a whole is at fault, e.g. it has no FROM).
/// </summary>
public sealed class DockerfileException(string message, SourceLocation? location = null) : Exception(message)
{
    public SourceLocation? Location { get; } = location;
}
