using System.Text;

namespace Berth.Cli.CommandLine;

/// <summary>
/// docker's help page (its cobra usage template, cli/cobra.go) and pflag's flag listing
/// (FlagUsagesWrapped), reproduced so that "berth X --help" reads like "docker X --help".
/// </summary>
internal static class HelpText
{
    public const string AdditionalHelp = "For more help on how to use Berth, see https://github.com/berth (docs/README.md).";

    public static string Render(CommandSpec command, FlagSet flags, int width)
    {
        var sb = new StringBuilder();
        bool hasFlags = flags.All.Any(f => !f.Hidden);
        sb.Append("Usage:  ");
        if (command.IsGroup)
            sb.Append(command.CommandPath).Append(hasFlags ? " [OPTIONS]" : "").Append(" COMMAND");
        else
            sb.Append(command.UseLine);
        sb.Append("\n\n").Append((command.Long ?? command.Short).Trim());
        if (AliasesLine(command) is { } aliases)
            sb.Append("\n\nAliases:\n  ").Append(aliases);
        if (command.Parent is not null && hasFlags)
            sb.Append("\n\nOptions:\n").Append(FlagUsages(flags.All, width - 1).TrimEnd());
        if (command.Parent is null)
        {
            var top = command.Children.Where(c => c.Category == CommandCategory.Top).OrderBy(c => c.TopOrder).ToList();
            if (top.Count > 0)
            {
                sb.Append("\n\nCommon Commands:");
                foreach (var c in top)
                    sb.Append("\n  ").Append((c.Name + " ").PadRight(c.NamePadding + 1)).Append(c.Short);
            }
        }
        var management = command.Children.Where(c => c.IsGroup).OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
        if (management.Count > 0)
        {
            sb.Append("\n\nManagement Commands:");
            foreach (var c in management)
                sb.Append("\n  ").Append((c.Name + " ").PadRight(c.NamePadding + 1)).Append(c.Short);
        }
        var operations = command.Children.Where(c => !c.IsGroup && (command.Parent is not null || c.Category != CommandCategory.Top))
            .OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
        if (operations.Count > 0)
        {
            sb.Append("\n\nCommands:");
            foreach (var c in operations)
                sb.Append("\n  ").Append(c.Name.PadRight(c.NamePadding)).Append(' ').Append(c.Short);
        }
        if (command.Parent is null && hasFlags)
            sb.Append("\n\nGlobal Options:\n").Append(FlagUsages(flags.All, width - 1).TrimEnd());
        if (command.IsGroup)
            sb.Append("\n\nRun '").Append(command.CommandPath).Append(" COMMAND --help' for more information on a command.");
        if (command.Parent is null)
            sb.Append("\n\n").Append(AdditionalHelp).Append('\n');
        sb.Append('\n');
        return sb.ToString();
    }

    static string? AliasesLine(CommandSpec command)
    {
        if (command.AliasesLine is { } line)
            return line.Replace("{0}", command.Root.Name, StringComparison.Ordinal);
        if (command.Aliases.Length == 0)
            return null;
        string parentPath = command.Parent is null ? "" : command.Parent.CommandPath + " ";
        return command.CommandPath + string.Concat(command.Aliases.Select(a => ", " + parentPath + a));
    }

    /// <summary>pflag's FlagUsagesWrapped: one line per visible flag, descriptions aligned and wrapped to <paramref name="cols"/>.</summary>
    public static string FlagUsages(IEnumerable<Flag> flags, int cols)
    {
        var lines = new List<string>();
        int maxlen = 0;
        foreach (var flag in flags.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            if (flag.Hidden)
                continue;
            string line = flag.Shorthand is { } s && flag.ShorthandDeprecated is null ? $"  -{s}, --{flag.Name}" : $"      --{flag.Name}";
            var (varname, usage) = UnquoteUsage(flag);
            if (varname.Length > 0)
                line += " " + varname;
            line += "\0";
            maxlen = Math.Max(maxlen, line.Length);
            line += usage;
            if (flag.DefaultShown is { } d)
                line += $" (default {d})";
            lines.Add(line);
        }
        var sb = new StringBuilder();
        foreach (var line in lines)
        {
            int sidx = line.IndexOf('\0');
            // fmt.Fprintln(buf, line[:sidx], spacing, wrap(...)): operands joined by single spaces.
            sb.Append(line, 0, sidx).Append(' ').Append(' ', maxlen - sidx).Append(' ')
                .Append(Wrap(maxlen + 2, cols, line[(sidx + 1)..])).Append('\n');
        }
        return sb.ToString();
    }

    static (string Name, string Usage) UnquoteUsage(Flag flag)
    {
        string usage = flag.Usage;
        int i = usage.IndexOf('`');
        if (i >= 0)
        {
            int j = usage.IndexOf('`', i + 1);
            if (j > 0)
            {
                string name = usage[(i + 1)..j];
                return (name, usage[..i] + name + usage[(j + 1)..]);
            }
        }
        string type = flag.TypeName switch
        {
            "bool" => "",
            "float64" => "float",
            "int64" => "int",
            "uint64" => "uint",
            "stringSlice" => "strings",
            "intSlice" => "ints",
            _ => flag.TypeName,
        };
        return (type, usage);
    }

    /// <summary>pflag's wrap: the first line is indented by the caller, the rest by <paramref name="indent"/>.</summary>
    public static string Wrap(int indent, int width, string s)
    {
        if (width == 0)
            return s.Replace("\n", "\n" + new string(' ', indent));
        int wrap = width - indent;
        string r = "";
        if (wrap < 24)
        {
            indent = 16;
            wrap = width - indent;
            r += "\n" + new string(' ', indent);
        }
        if (wrap < 24)
            return s.Replace("\n", r);
        const int Slop = 5;
        wrap -= Slop;
        string pad = new(' ', indent);
        (string l, s) = WrapN(wrap, Slop, s);
        r += l.Replace("\n", "\n" + pad);
        while (s.Length > 0)
        {
            (string t, s) = WrapN(wrap, Slop, s);
            r += "\n" + pad + t.Replace("\n", "\n" + pad);
        }
        return r;
    }

    // Byte lengths in Go; the texts here are ASCII.
    static (string, string) WrapN(int i, int slop, string s)
    {
        if (i + slop > s.Length)
            return (s, "");
        int w = s.AsSpan(0, i).LastIndexOfAny(" \t\n");
        if (w <= 0)
            return (s, "");
        int nl = s.AsSpan(0, i).LastIndexOf('\n');
        if (nl > 0 && nl < w)
            return (s[..nl], s[(nl + 1)..]);
        return (s[..w], s[(w + 1)..]);
    }
}
