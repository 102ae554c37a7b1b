namespace Berth.Runtime.Cli;

/// <summary>One flag of a command: its names (without dashes) and whether it takes a value.</summary>
public sealed record Flag(string Name, bool TakesValue = false, string? Alias = null, string? Default = null);

/// <summary>
/// runc's command-line conventions (urfave/cli on Go's flag package): flags with one or two
/// dashes, values after a space or '=', booleans as --flag or --flag=false, and flags after
/// positional arguments unless the command takes a command line of its own (exec).
/// </summary>
public sealed class CommandLine
{
    readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);

    public List<string> Positionals { get; } = [];

    public bool Has(string name) => _values.TryGetValue(name, out var v) && v.Count > 0 && v[^1] != "false";

    public string? Get(string name) => _values.TryGetValue(name, out var v) && v.Count > 0 ? v[^1] : null;

    public IReadOnlyList<string> GetAll(string name) => _values.TryGetValue(name, out var v) ? v : [];

    public int GetInt(string name, int fallback)
    {
        string? text = Get(name);
        if (text is null)
            return fallback;
        if (!int.TryParse(text, out int value))
            throw new UsageException($"invalid value \"{text}\" for flag --{name}: parse error");
        return value;
    }

    /// <summary>Parses <paramref name="args"/> from <paramref name="start"/>.</summary>
    /// <param name="interspersed">Accept flags after positional arguments; otherwise the first
    /// positional argument (beyond <paramref name="positionalsBeforeStop"/>) ends flag parsing.</param>
    public static CommandLine Parse(IReadOnlyList<string> args, int start, IReadOnlyList<Flag> flags, bool interspersed = true, int positionalsBeforeStop = 0)
    {
        var result = new CommandLine();
        foreach (var f in flags)
            if (f.Default is not null)
                result._values[f.Name] = [f.Default];
        bool flagsDone = false;
        for (int i = start; i < args.Count; i++)
        {
            string arg = args[i];
            if (flagsDone || arg.Length < 2 || arg[0] != '-')
            {
                result.Positionals.Add(arg);
                if (!interspersed && result.Positionals.Count > positionalsBeforeStop)
                    flagsDone = true;
                continue;
            }
            if (arg == "--")
            {
                flagsDone = true;
                continue;
            }
            string body = arg.StartsWith("--", StringComparison.Ordinal) ? arg[2..] : arg[1..];
            string? inline = null;
            int eq = body.IndexOf('=');
            if (eq >= 0)
            {
                inline = body[(eq + 1)..];
                body = body[..eq];
            }
            var flag = Find(flags, body) ?? throw new UsageException($"flag provided but not defined: -{body}");
            string value;
            if (flag.TakesValue)
            {
                if (inline is not null)
                    value = inline;
                else if (i + 1 < args.Count)
                    value = args[++i];
                else
                    throw new UsageException($"flag needs an argument: -{body}");
            }
            else
            {
                value = inline ?? "true";
                if (value is not ("true" or "false" or "1" or "0"))
                    throw new UsageException($"invalid boolean value \"{value}\" for -{body}");
                value = value is "true" or "1" ? "true" : "false";
            }
            if (!result._values.TryGetValue(flag.Name, out var list) || (flag.Default is not null && list.Count == 1 && ReferenceEquals(list[0], flag.Default)))
                result._values[flag.Name] = list = [];
            list.Add(value);
        }
        return result;
    }

    static Flag? Find(IReadOnlyList<Flag> flags, string name)
    {
        foreach (var f in flags)
            if (f.Name == name || f.Alias == name)
                return f;
        return null;
    }
}

/// <summary>A command line that cannot be understood; printed with the command's usage.</summary>
public sealed class UsageException(string message) : Exception(message);
