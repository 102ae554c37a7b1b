namespace Berth.Cli.CommandLine;

/// <summary>Where a command is listed in its parent's help.</summary>
internal enum CommandCategory
{
    Plain,
    /// <summary>"Common Commands" of the root help (docker's category-top annotation).</summary>
    Top,
}

/// <summary>The body of a command: runs with the parsed invocation, returns the exit status.</summary>
internal delegate Task<int> CommandAction(Invocation invocation);

/// <summary>
/// One command of the tree (cobra.Command): its name and aliases, the usage line, the short description, the rule
/// for positional arguments, and a setup function that defines the flags on a fresh <see cref="FlagSet"/> and
/// returns the body, which reads the flags' values through the handles it captured.
/// </summary>
internal sealed class CommandSpec
{
    public required string Name { get; init; }

    public string[] Aliases { get; init; } = [];

    /// <summary>What follows the command path in the usage line: "[OPTIONS] CONTAINER [CONTAINER...]".</summary>
    public string Use { get; init; } = "";

    public required string Short { get; init; }

    /// <summary>The description in help when it says more than <see cref="Short"/>.</summary>
    public string? Long { get; init; }

    /// <summary>The "Aliases:" line of help with "{0}" for the program name, as docker's "aliases" annotation.</summary>
    public string? AliasesLine { get; init; }

    public CommandCategory Category { get; init; }

    /// <summary>Order among the root's common commands.</summary>
    public int TopOrder { get; init; }

    public ArgsRule Args { get; init; } = ArgsRule.Any;

    /// <summary>Defines the flags and returns the body; null for a group.</summary>
    public Func<FlagSet, CommandAction>? Setup { get; init; }

    public List<CommandSpec> Children { get; } = [];

    public CommandSpec? Parent { get; private set; }

    public bool IsGroup => Children.Count > 0;

    public CommandSpec Add(params CommandSpec[] children)
    {
        foreach (var c in children)
        {
            c.Parent = this;
            Children.Add(c);
        }
        return this;
    }

    public CommandSpec? Find(string name) =>
        Children.FirstOrDefault(c => c.Name == name) ?? Children.FirstOrDefault(c => c.Aliases.Contains(name));

    /// <summary>"berth container ls".</summary>
    public string CommandPath => Parent is null ? Name : Parent.CommandPath + " " + Name;

    /// <summary>cobra's UseLine (flags never appended: docker sets DisableFlagsInUseLine).</summary>
    public string UseLine => Use.Length == 0 ? CommandPath : CommandPath + " " + Use;

    public CommandSpec Root => Parent is null ? this : Parent.Root;

    /// <summary>cobra's NamePadding: the longest sibling name, at least 11.</summary>
    public int NamePadding => Math.Max(11, Parent?.Children.Max(c => c.Name.Length) ?? 0);
}

/// <summary>cobra's positional-argument validators with docker's messages (cli/required.go).</summary>
internal sealed class ArgsRule
{
    readonly int _min;
    readonly int _max;

    ArgsRule(int min, int max)
    {
        _min = min;
        _max = max;
    }

    public static ArgsRule Any { get; } = new(0, int.MaxValue);

    public static ArgsRule None { get; } = new(0, 0);

    public static ArgsRule Exactly(int n) => new(n, n);

    public static ArgsRule AtLeast(int n) => new(n, int.MaxValue);

    public static ArgsRule AtMost(int n) => new(0, n);

    public static ArgsRule Between(int min, int max) => new(min, max);

    /// <summary>The error docker prints (without the exit status, which is 1), or null when the count fits.</summary>
    public string? Check(CommandSpec command, int count)
    {
        if (count >= _min && count <= _max)
            return null;
        string bin = command.Root.Name;
        string path = command.CommandPath;
        string use = command.UseLine;
        if (_max == 0)
            return $"{bin}: '{path}' accepts no arguments\n\nUsage:  {use}\n\nRun '{path} --help' for more information";
        if (_min == _max)
            return $"{bin}: '{path}' requires {_min} {Plural(_min)}\n\nUsage:  {use}\n\nRun '{path} --help' for more information";
        if (_max == int.MaxValue)
            return $"{bin}: '{path}' requires at least {_min} {Plural(_min)}\n\nUsage:  {use}\n\nSee '{path} --help' for more information";
        if (_min == 0)
            return $"{bin}: '{path}' requires at most {_max} {Plural(_max)}\n\nUsage:  {use}\n\nRun '{path} --help' for more information";
        return $"{bin}: '{path}' requires at least {_min} and at most {_max} {Plural(_max)}\n\nUsage:  {use}\n\nRun '{path} --help' for more information";
    }

    static string Plural(int n) => n == 1 ? "argument" : "arguments";
}
