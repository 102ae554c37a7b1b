namespace Berth.Build.Dockerfile;

/// <summary>
/// The Dockerfile parser: text into a <see cref="DockerfileDocument"/> (directives, the ARGs before the first FROM,
/// the stages), every instruction checked as Docker checks it before building. Errors are
/// <see cref="DockerfileException"/>s with Docker 20.10's texts (<c>dockerfile parse error line 3: unknown
/// instruction: FOO</c>) and the location; variables are not expanded here (<see cref="Instruction.Expand"/>).
/// </summary>
public static class DockerfileParser
{
    public static DockerfileDocument Parse(string text, string fileName = "Dockerfile")
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
            throw new DockerfileException($"the Dockerfile ({fileName}) cannot be empty");
        ParserDirectives directives;
        List<DockerfileNode> nodes;
        try
        {
            (directives, nodes) = DockerfileLines.Parse(text, fileName);
        }
        catch (DockerfileException e)
        {
            throw new DockerfileException($"failed to parse {fileName}: {e.Message}", e.Location);
        }

        List<ArgInstruction> metaArgs = [];
        List<(FromInstruction From, List<Instruction> Instructions)> stages = [];
        foreach (DockerfileNode node in nodes)
        {
            Instruction instruction;
            try
            {
                instruction = InstructionParser.Parse(node);
            }
            catch (DockerfileException e)
            {
                throw new DockerfileException($"dockerfile parse error line {node.Location.StartLine}: {e.Message}", e.Location ?? node.Location);
            }
            switch (instruction)
            {
                case FromInstruction from:
                    stages.Add((from, []));
                    break;
                case ArgInstruction arg when stages.Count == 0:
                    metaArgs.Add(arg);
                    break;
                default:
                    if (stages.Count == 0)
                        throw new DockerfileException("no build stage in current context", node.Location);
                    stages[^1].Instructions.Add(instruction);
                    break;
            }
        }

        HashSet<string> names = new(StringComparer.Ordinal);
        List<Stage> result = [];
        foreach (var (from, instructions) in stages)
        {
            if (from.StageName is { } name && !names.Add(name))
                throw new DockerfileException($"{name} stage name already used", from.Location);
            result.Add(new Stage(result.Count, from.StageName, from, instructions));
        }
        return new DockerfileDocument(directives, metaArgs, result);
    }
}
