using System.Text;
using System.Text.Json.Nodes;

namespace Berth.Cli.CommandLine;

/// <summary>
/// docker's filters.Args from repeated --filter name=value flags, sent as the "filters" query parameter in its
/// JSON form ({"label":{"a=b":true}}).
/// </summary>
internal sealed class FilterArgs
{
    readonly SortedDictionary<string, SortedSet<string>> _values = new(StringComparer.Ordinal);

    public bool IsEmpty => _values.Count == 0;

    public IReadOnlyCollection<string> Names => _values.Keys;

    public IEnumerable<string> Get(string name) => _values.TryGetValue(name, out var set) ? set : [];

    public void Add(string name, string value)
    {
        if (!_values.TryGetValue(name, out var set))
            _values[name] = set = new SortedSet<string>(StringComparer.Ordinal);
        set.Add(value);
    }

    /// <summary>opts.FilterOpt.Set: "name=value", the name lower-cased, both trimmed.</summary>
    public void AddFlag(string arg)
    {
        if (arg.Length == 0)
            return;
        int eq = arg.IndexOf('=');
        if (eq < 0)
            throw new FlagValueException("bad format of filter (expected name=value)");
        Add(arg[..eq].Trim().ToLowerInvariant(), arg[(eq + 1)..].Trim());
    }

    public string ToJson()
    {
        var root = new JsonObject();
        foreach (var (name, values) in _values)
        {
            var inner = new JsonObject();
            foreach (var v in values)
                inner[v] = true;
            root[name] = inner;
        }
        return root.ToJsonString();
    }

    /// <summary>Registers "-f, --filter filter" on <paramref name="flags"/>.</summary>
    public static FilterArgs Define(FlagSet flags, string usage = "Filter output based on conditions provided", char? shorthand = 'f')
    {
        var args = new FilterArgs();
        flags.Custom("filter", shorthand, "filter", args.AddFlag, usage);
        return args;
    }
}
