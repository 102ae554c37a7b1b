using Berth.Images;
using Berth.Oci.Image;

namespace Berth.Build.Dockerfile;

/// <summary>
/// <c>docker commit --change</c> and <c>docker import --change</c>: Dockerfile instructions applied to an image's
/// config, as moby's <c>dockerfile.BuildFromConfig</c> applies them. The changes are joined by newlines and parsed as
/// a Dockerfile; only CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, ONBUILD, USER, VOLUME and WORKDIR are allowed (any case).
/// All of them are parsed and checked by the Dockerfile parser before the first is applied; then each is applied in
/// order to the config the previous ones left, with <c>$var</c> substitution from that config's Env in ENV, LABEL, USER, WORKDIR, VOLUME
/// and EXPOSE. An ENTRYPOINT clears Cmd unless a CMD with arguments came before it in the same changes.
/// </summary>
public static class ConfigChanges
{
    static readonly HashSet<string> Allowed = new(StringComparer.Ordinal)
    {
        "cmd", "entrypoint", "env", "expose", "label", "onbuild", "user", "volume", "workdir",
    };

    /// <summary>
    /// A new config: <paramref name="config"/> (or an empty one) with <paramref name="changes"/> applied. No changes at
    /// all give the config back unchanged (or an empty one).
    /// </summary>
    /// <exception cref="StoreException">InvalidArgument, with Docker's text, for a change Docker refuses.</exception>
    public static ExecutionConfig Apply(ExecutionConfig? config, IEnumerable<string> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        config ??= new ExecutionConfig();
        List<string> lines = [.. changes];
        if (lines.Count == 0)
            return config;
        try
        {
            var (directives, nodes) = DockerfileLines.Parse(string.Join('\n', lines), "Dockerfile");
            foreach (DockerfileNode node in nodes)
            {
                if (!Allowed.Contains(node.Keyword))
                    throw new DockerfileException($"{node.Keyword} is not a valid change command");
            }
            List<Instruction> instructions = [.. nodes.Select(InstructionParser.Parse)];
            RunConfig state = new(config, new ShellLex(directives.Escape));
            foreach (Instruction instruction in instructions)
                state.Dispatch(instruction);
            return state.ToConfig(config);
        }
        catch (DockerfileException e)
        {
            throw StoreException.Invalid(e.Message);
        }
    }
}
