using System.Text.RegularExpressions;

namespace Berth.Build.Dockerfile;

/// <summary>
/// buildkit's <c>parser.Parse</c>: the parser directives at the top, then one <see cref="DockerfileNode"/> per
/// instruction. Comments and blank lines are skipped; an escape token at the end of a line continues the instruction
/// on the next (comment lines and blank lines inside a continuation are skipped); RUN, COPY and ADD lines (and ONBUILD
/// ones with such a trigger) that name here-documents are followed by their bodies. Errors are
/// <see cref="DockerfileException"/>s with Docker's bare texts and the lines concerned.
/// </summary>
internal static partial class DockerfileLines
{
    [GeneratedRegex(@"^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$")]
    private static partial Regex DirectivePattern();

    public static (ParserDirectives Directives, List<DockerfileNode> Nodes) Parse(string text, string fileName)
    {
        string[] lines = text.Split('\n');
        if (lines.Length > 0 && lines[^1].Length == 0)
            lines = lines[..^1];
        if (lines.Length > 0 && lines[0].StartsWith('\uFEFF'))
            lines[0] = lines[0][1..];
        Directives directives = new();
        List<DockerfileNode> nodes = [];
        int current = 0;
        int i = 0;
        string? Read() => i < lines.Length ? lines[i++] : null;

        while (Read() is { } first)
        {
            string line = ProcessLine(directives, first, stripLeft: true, current + 1, fileName);
            current++;
            int startLine = current;
            bool isEnd = TrimContinuation(ref line, directives.Escape);
            if (isEnd && line.Length == 0)
                continue;
            System.Text.StringBuilder joined = new(line);
            while (!isEnd && Read() is { } next)
            {
                string processed = ProcessLine(directives, next, stripLeft: false, current + 1, fileName);
                current++;
                if (IsComment(next))
                    continue;
                if (processed.TrimStart(' ', '\t').Length == 0)
                    continue;
                isEnd = TrimContinuation(ref processed, directives.Escape);
                joined.Append(processed);
            }
            string instruction = joined.ToString();
            SourceLocation Here() => new(fileName, startLine, current);
            DockerfileNode node;
            try
            {
                node = DockerfileLineParsers.NodeFromLine(instruction, directives.Escape, Here());
            }
            catch (DockerfileException e) when (e.Location is null)
            {
                throw new DockerfileException(e.Message, Here());
            }
            if (CanContainHeredoc(node) && instruction.Contains("<<", StringComparison.Ordinal))
            {
                List<Heredoc> heredocs = [];
                foreach (Heredoc declared in HeredocWords.FromLine(instruction, Here()))
                {
                    System.Text.StringBuilder content = new();
                    bool terminated = false;
                    while (Read() is { } body)
                    {
                        current++;
                        string candidate = body.TrimEnd('\r');
                        if (declared.Chomp)
                            candidate = candidate.TrimStart('\t');
                        if (candidate == declared.Name)
                        {
                            terminated = true;
                            break;
                        }
                        content.Append(declared.Chomp ? body.TrimStart('\t') : body).Append('\n');
                    }
                    if (!terminated)
                        throw new DockerfileException("unterminated heredoc", Here());
                    heredocs.Add(declared with { Content = content.ToString() });
                }
                node = node with { Heredocs = heredocs, Location = Here(), Trigger = node.Trigger is null ? null : node.Trigger with { Heredocs = heredocs } };
            }
            else
            {
                node = node with { Location = Here() };
            }
            nodes.Add(node);
        }
        if (nodes.Count == 0)
            throw new DockerfileException("file with no instructions", new SourceLocation(fileName, current, current));
        return (new ParserDirectives(directives.Escape, directives.Syntax, directives.Check), nodes);
    }

    static bool CanContainHeredoc(DockerfileNode node)
    {
        if (node.Keyword == "onbuild")
            return node.Trigger is { } trigger && CanContainHeredoc(trigger);
        return node.Keyword is "run" or "copy" or "add" && !node.Json;
    }

    /// <summary>buildkit's processLine: newline trimmed, leading white space too on an instruction's first line, a comment emptied; the line also ends or feeds the directives.</summary>
    static string ProcessLine(Directives directives, string raw, bool stripLeft, int lineNumber, string fileName)
    {
        string token = raw.TrimEnd('\n').TrimEnd('\r');
        if (stripLeft)
            token = token.TrimStart(' ', '\t');
        directives.Consider(token, new SourceLocation(fileName, lineNumber, lineNumber));
        return token.StartsWith('#') ? "" : token;
    }

    static bool IsComment(string line) => line.TrimEnd('\r').TrimStart(' ', '\t').StartsWith('#');

    /// <summary>Removes the escape token (then spaces or tabs) at the end of the line; true when there was none (the instruction ends here).</summary>
    static bool TrimContinuation(ref string line, char escape)
    {
        string trimmed = line.TrimEnd(' ', '\t');
        if (!trimmed.EndsWith(escape))
            return true;
        line = trimmed[..^1];
        return false;
    }

    /// <summary>The directives seen so far; the first line that is not one ends them.</summary>
    sealed class Directives
    {
        readonly HashSet<string> _seen = [];
        bool _done;

        public char Escape { get; private set; } = '\\';

        public string? Syntax { get; private set; }

        public string? Check { get; private set; }

        public void Consider(string line, SourceLocation at)
        {
            if (_done)
                return;
            Match match = DirectivePattern().Match(line);
            string name = match.Success ? match.Groups[1].Value.ToLowerInvariant() : "";
            if (name is not ("escape" or "syntax" or "check"))
            {
                _done = true;
                return;
            }
            if (!_seen.Add(name))
                throw new DockerfileException($"only one {name} parser directive can be used", at);
            string value = match.Groups[2].Value;
            switch (name)
            {
                case "escape":
                    if (value is not ("`" or "\\"))
                        throw new DockerfileException($"invalid escape token '{value}' does not match ` or \\", at);
                    Escape = value[0];
                    break;
                case "syntax":
                    Syntax = value;
                    break;
                default:
                    Check = value;
                    break;
            }
        }
    }
}
