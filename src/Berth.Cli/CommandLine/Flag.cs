namespace Berth.Cli.CommandLine;

/// <summary>
/// One command-line flag as spf13/pflag defines it: a long name, an optional one-letter shorthand, a usage text, the
/// value type's name (shown in help as the placeholder) and a setter that parses the text.
/// </summary>
internal sealed class Flag
{
    public Flag(string name, char? shorthand, string typeName, string usage, Action<string> set)
    {
        Name = name;
        Shorthand = shorthand;
        TypeName = typeName;
        Usage = usage;
        Set = set;
    }

    public string Name { get; }

    public char? Shorthand { get; }

    /// <summary>pflag's Value.Type(): "bool", "string", "int", "list", "bytes", "duration", ...</summary>
    public string TypeName { get; }

    public string Usage { get; }

    /// <summary>Parses and stores a value; throws <see cref="FlagValueException"/> with the value type's own message.</summary>
    public Action<string> Set { get; }

    /// <summary>Bool flags take no argument ("--rm"); "--rm=false" still sets one.</summary>
    public bool IsBool => TypeName == "bool";

    /// <summary>The text after "(default " in help, already formatted; null when the default is the type's zero.</summary>
    public string? DefaultShown { get; set; }

    public bool Hidden { get; set; }

    /// <summary>When set, the shorthand still works but prints this notice and is left out of help.</summary>
    public string? ShorthandDeprecated { get; set; }

    public bool Changed { get; set; }

    /// <summary>"-n, --last" or "--all": how pflag names the flag in a value error.</summary>
    public string DisplayName => Shorthand is { } s && ShorthandDeprecated is null ? $"-{s}, --{Name}" : $"--{Name}";
}

/// <summary>A value a flag's type refuses; the message is the type's own ("invalid size: 'abc'").</summary>
internal sealed class FlagValueException(string message) : Exception(message);

/// <summary>A typed handle to a flag's value, read by the command after parsing.</summary>
internal sealed class FlagRef<T>(T initial)
{
    public T Value { get; set; } = initial;

    public Flag Flag { get; internal set; } = null!;

    public bool Changed => Flag.Changed;
}
