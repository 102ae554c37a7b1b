using Berth.Oci.Image;

namespace Berth.Images.Changes;

/// <summary>
/// <c>docker commit --change</c> and <c>docker import --change</c>: Dockerfile instructions applied to an image's
/// config, as moby's <c>dockerfile.BuildFromConfig</c> applies them. The changes are joined by newlines and parsed as
/// a Dockerfile; only CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, ONBUILD, USER, VOLUME and WORKDIR are allowed (any case).
/// All of them are parsed and checked before the first is applied; then each is applied in order to the config
/// the previous ones left, with <c>$var</c> substitution from that config's Env in ENV, LABEL, USER, WORKDIR, VOLUME
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
    /// all give the config back unchanged.
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
            List<Instruction> instructions = ChangeParser.Parse(string.Join('\n', lines));
            foreach (Instruction instruction in instructions)
            {
                if (!Allowed.Contains(instruction.Keyword))
                    throw new FormatException($"{instruction.Keyword} is not a valid change command");
            }
            foreach (Instruction instruction in instructions)
                Check(instruction);
            RunConfig state = new(config);
            foreach (Instruction instruction in instructions)
                state.Dispatch(instruction);
            return state.ToConfig(config);
        }
        catch (FormatException e)
        {
            throw StoreException.Invalid(e.Message);
        }
    }

    /// <summary>buildkit's <c>instructions.ParseCommand</c>: argument counts and flags, before anything is applied.</summary>
    static void Check(Instruction i)
    {
        switch (i.Keyword)
        {
            case "env" or "label":
                CheckFlags(i);
                string name = i.Keyword.ToUpperInvariant();
                if (i.Args.Count == 0)
                    throw new FormatException($"{name} requires at least one argument");
                for (int j = 0; j < i.Args.Count; j += 2)
                {
                    if (i.Args[j].Length == 0)
                        throw new FormatException($"{name} names can not be blank");
                }
                break;
            case "onbuild":
                if (i.Args.Count == 0)
                    throw new FormatException("ONBUILD requires at least one argument");
                CheckFlags(i);
                string trigger = i.Args[0].Trim().ToUpperInvariant();
                if (trigger == "ONBUILD")
                    throw new FormatException("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
                if (trigger is "MAINTAINER" or "FROM")
                    throw new FormatException($"{trigger} isn't allowed as an ONBUILD trigger");
                break;
            case "workdir" or "user":
                if (i.Args.Count != 1)
                    throw new FormatException($"{i.Keyword.ToUpperInvariant()} requires exactly one argument");
                CheckFlags(i);
                break;
            case "expose":
                if (i.Args.Count == 0)
                    throw new FormatException("EXPOSE requires at least one argument");
                CheckFlags(i);
                break;
            case "volume":
                if (i.Args.Count == 0)
                    throw new FormatException("VOLUME requires at least one argument");
                CheckFlags(i);
                if (i.Args.Any(v => v.Trim().Length == 0))
                    throw new FormatException("VOLUME specified can not be an empty string");
                break;
            default:
                CheckFlags(i);
                break;
        }
    }

    /// <summary>None of the allowed instructions takes a flag: the first one is Docker's <c>unknown flag</c>.</summary>
    static void CheckFlags(Instruction i)
    {
        foreach (string flag in i.Flags)
        {
            if (!flag.StartsWith("--", StringComparison.Ordinal))
                throw new FormatException($"arg should start with -- : {flag}");
            if (flag == "--")
                return;
            string name = flag[2..];
            int eq = name.IndexOf('=');
            throw new FormatException($"unknown flag: {(eq >= 0 ? name[..eq] : name)}");
        }
    }
}
