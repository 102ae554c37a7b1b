namespace Berth.Build.Dockerfile;

/// <summary>
/// One line of a Dockerfile as buildkit's parser gives it (its <c>Node</c>), before the instruction is checked:
/// the keyword in lower case, the <c>--flags</c> before the arguments, the arguments as the keyword's line parser
/// split them (ENV and LABEL in key, value pairs with quotes still in place), whether they were a JSON array, the
/// here-documents that followed the line, and for ONBUILD the trigger's own node.
/// </summary>
internal sealed record DockerfileNode(
    string Keyword,
    string Original,
    IReadOnlyList<string> Flags,
    IReadOnlyList<string> Args,
    bool Json,
    IReadOnlyList<Heredoc> Heredocs,
    SourceLocation Location,
    DockerfileNode? Trigger = null);
