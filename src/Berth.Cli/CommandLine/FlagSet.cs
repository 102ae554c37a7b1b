namespace Berth.Cli.CommandLine;

/// <summary>
/// A command's flags, parsed as spf13/pflag parses them (docker's CLI is cobra over pflag): "--name value",
/// "--name=value", "-n value", "-nvalue", "-n=value", bundled bool shorthands ("-it"), "--" ends the flags.
/// Interspersed (the default) takes flags after positional arguments too; run, create and exec stop at the first
/// positional argument so that the container's own arguments pass through.
/// </summary>
internal sealed class FlagSet
{
    readonly List<Flag> _flags = [];
    readonly Dictionary<string, Flag> _byName = new(StringComparer.Ordinal);
    readonly Dictionary<char, Flag> _byShorthand = [];

    public bool Interspersed { get; set; } = true;

    /// <summary>The process environment, for flags whose values depend on it (-e NAME takes the client's value).</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    public IReadOnlyList<Flag> All => _flags;

    /// <summary>True once --help (or the deprecated -h) was seen.</summary>
    public bool HelpRequested { get; private set; }

    /// <summary>Notices to print on stderr (deprecated shorthands), in the order met.</summary>
    public List<string> Notices { get; } = [];

    public Flag Add(Flag flag)
    {
        if (!_byName.TryAdd(flag.Name, flag))
            throw new InvalidOperationException($"flag redefined: {flag.Name}");
        if (flag.Shorthand is { } s && !_byShorthand.TryAdd(s, flag))
            throw new InvalidOperationException($"shorthand -{s} redefined by --{flag.Name}");
        _flags.Add(flag);
        return flag;
    }

    public Flag? Lookup(string name) => _byName.GetValueOrDefault(name);

    public bool Changed(string name) => _byName.TryGetValue(name, out var f) && f.Changed;

    public FlagRef<bool> Bool(string name, char? shorthand, bool initial, string usage)
    {
        var r = new FlagRef<bool>(initial);
        r.Flag = Add(new Flag(name, shorthand, "bool", usage, v => r.Value = GoStrconv.ParseBool(v))
        {
            DefaultShown = initial ? "true" : null,
        });
        return r;
    }

    public FlagRef<string> String(string name, char? shorthand, string initial, string usage)
    {
        var r = new FlagRef<string>(initial);
        r.Flag = Add(new Flag(name, shorthand, "string", usage, v => r.Value = v)
        {
            DefaultShown = initial.Length > 0 ? GoStrconv.GoQuote(initial) : null,
        });
        return r;
    }

    /// <summary>pflag's Int/Int64 (both shown as "int").</summary>
    public FlagRef<long> Int(string name, char? shorthand, long initial, string usage, int bits = 64)
    {
        var r = new FlagRef<long>(initial);
        r.Flag = Add(new Flag(name, shorthand, "int", usage, v => r.Value = GoStrconv.ParseInt(v, bits))
        {
            DefaultShown = initial != 0 ? initial.ToString(System.Globalization.CultureInfo.InvariantCulture) : null,
        });
        return r;
    }

    public FlagRef<ulong> Uint(string name, char? shorthand, string typeName, int bits, string usage, string? defaultShown = null)
    {
        var r = new FlagRef<ulong>(0);
        r.Flag = Add(new Flag(name, shorthand, typeName, usage, v => r.Value = GoStrconv.ParseUint(v, bits)) { DefaultShown = defaultShown });
        return r;
    }

    /// <summary>docker's ListOpts ("list"): every use appends, optionally checked by <paramref name="validate"/>.</summary>
    public FlagRef<List<string>> List(string name, char? shorthand, string usage, Func<string, string>? validate = null, string typeName = "list")
    {
        var r = new FlagRef<List<string>>([]);
        r.Flag = Add(new Flag(name, shorthand, typeName, usage, v => r.Value.Add(validate is null ? v : validate(v))));
        return r;
    }

    /// <summary>pflag's StringSlice ("strings"): comma-separated values, every use appends.</summary>
    public FlagRef<List<string>> StringSlice(string name, char? shorthand, string usage)
    {
        var r = new FlagRef<List<string>>([]);
        r.Flag = Add(new Flag(name, shorthand, "strings", usage, v => r.Value.AddRange(v.Split(','))));
        return r;
    }

    /// <summary>A flag whose value type is given by a parse function (bytes, duration, decimal, ...).</summary>
    public FlagRef<T> Value<T>(string name, char? shorthand, string typeName, T initial, Func<string, T> parse, string usage, string? defaultShown = null)
    {
        var r = new FlagRef<T>(initial);
        r.Flag = Add(new Flag(name, shorthand, typeName, usage, v => r.Value = parse(v)) { DefaultShown = defaultShown });
        return r;
    }

    /// <summary>A flag whose every use is handed to <paramref name="add"/> (maps, ulimits, filters).</summary>
    public Flag Custom(string name, char? shorthand, string typeName, Action<string> add, string usage, string? defaultShown = null)
        => Add(new Flag(name, shorthand, typeName, usage, add) { DefaultShown = defaultShown });

    /// <summary>Parses <paramref name="args"/>; returns the positional arguments. Throws <see cref="FlagParseException"/>.</summary>
    public List<string> Parse(IReadOnlyList<string> args)
    {
        var positional = new List<string>();
        int i = 0;
        while (i < args.Count)
        {
            string s = args[i++];
            if (s.Length < 2 || s[0] != '-')
            {
                positional.Add(s);
                if (!Interspersed)
                {
                    for (; i < args.Count; i++)
                        positional.Add(args[i]);
                    return positional;
                }
                continue;
            }
            if (s[1] == '-')
            {
                if (s.Length == 2)
                {
                    for (; i < args.Count; i++)
                        positional.Add(args[i]);
                    return positional;
                }
                i = ParseLong(s, args, i);
            }
            else
            {
                i = ParseShorts(s, args, i);
            }
        }
        return positional;
    }

    int ParseLong(string s, IReadOnlyList<string> args, int i)
    {
        string name = s[2..];
        if (name.Length == 0 || name[0] is '-' or '=')
            throw new FlagParseException($"bad flag syntax: {s}");
        string? value = null;
        int eq = name.IndexOf('=');
        if (eq >= 0)
        {
            value = name[(eq + 1)..];
            name = name[..eq];
        }
        if (!_byName.TryGetValue(name, out var flag))
        {
            if (name == "help")
            {
                try
                {
                    HelpRequested = value is null || GoStrconv.ParseBool(value);
                }
                catch (FlagValueException e)
                {
                    throw new FlagParseException($"invalid argument {GoStrconv.GoQuote(value!)} for \"-h, --help\" flag: {e.Message}");
                }
                return i;
            }
            throw new FlagParseException($"unknown flag: --{name}");
        }
        if (value is null)
        {
            if (flag.IsBool)
                value = "true";
            else if (i < args.Count)
                value = args[i++];
            else
                throw new FlagParseException($"flag needs an argument: {s}");
        }
        SetValue(flag, value);
        return i;
    }

    int ParseShorts(string s, IReadOnlyList<string> args, int i)
    {
        string shorts = s[1..];
        while (shorts.Length > 0)
        {
            char c = shorts[0];
            if (!_byShorthand.TryGetValue(c, out var flag))
            {
                if (c == 'h')
                {
                    Notices.Add("Flag shorthand -h has been deprecated, use --help");
                    HelpRequested = true;
                    return i;
                }
                throw new FlagParseException($"unknown shorthand flag: {GoQuoteRune(c)} in -{shorts}");
            }
            string value;
            string rest;
            if (shorts.Length > 2 && shorts[1] == '=')
            {
                value = shorts[2..];
                rest = "";
            }
            else if (flag.IsBool)
            {
                value = "true";
                rest = shorts[1..];
            }
            else if (shorts.Length > 1)
            {
                value = shorts[1..];
                rest = "";
            }
            else if (i < args.Count)
            {
                value = args[i++];
                rest = "";
            }
            else
            {
                throw new FlagParseException($"flag needs an argument: {GoQuoteRune(c)} in -{shorts}");
            }
            if (flag.ShorthandDeprecated is { } why)
                Notices.Add($"Flag shorthand -{c} has been deprecated, {why}");
            SetValue(flag, value);
            shorts = rest;
        }
        return i;
    }

    void SetValue(Flag flag, string value)
    {
        if (flag.Name == "help")
        {
            // A command's own --help (run and create define one without -h, which is --hostname there).
            HelpRequested = GoStrconv.ParseBool(value);
            flag.Changed = true;
            return;
        }
        try
        {
            flag.Set(value);
        }
        catch (FlagValueException e)
        {
            throw new FlagParseException($"invalid argument {GoStrconv.GoQuote(value)} for {GoStrconv.GoQuote(flag.DisplayName)} flag: {e.Message}");
        }
        flag.Changed = true;
    }

    static string GoQuoteRune(char c) => Templates.GoQuote.QuoteRune(c);
}

/// <summary>A command line pflag refuses; docker prints it with the usage line and exits 125.</summary>
internal sealed class FlagParseException(string message) : Exception(message);
