namespace Berth.Build.Dockerfile;

/// <summary>
/// buildkit's BFlags: the <c>--name[=value]</c> flags an instruction accepts, checked against those written. Texts
/// are Docker 20.10's (<c>Unknown flag: x</c>, <c>Missing a value on flag: x</c>, ...).
/// </summary>
internal sealed class BuilderFlags(IReadOnlyList<string> written)
{
    public enum Kind { Bool, String, Strings }

    public sealed class Flag(string name, Kind kind)
    {
        public string Name { get; } = name;

        public Kind Kind { get; } = kind;

        /// <summary>The value given (a string flag's last, "true"/"false" for a boolean), or null when not given.</summary>
        public string? Value { get; internal set; }

        public List<string> Values { get; } = [];

        public bool IsTrue => Value == "true";
    }

    readonly Dictionary<string, Flag> _flags = new(StringComparer.Ordinal);

    public Flag AddString(string name) => Add(name, Kind.String);

    public Flag AddBool(string name) => Add(name, Kind.Bool);

    public Flag AddStrings(string name) => Add(name, Kind.Strings);

    Flag Add(string name, Kind kind) => _flags[name] = new Flag(name, kind);

    public void Parse()
    {
        HashSet<string> used = new(StringComparer.Ordinal);
        foreach (string raw in written)
        {
            if (!raw.StartsWith("--", StringComparison.Ordinal))
                throw new DockerfileException($"arg should start with -- : {raw}");
            if (raw == "--")
                return;
            string arg = raw[2..];
            string value = "";
            int eq = arg.IndexOf('=');
            if (eq >= 0)
            {
                value = arg[(eq + 1)..];
                arg = arg[..eq];
            }
            if (!_flags.TryGetValue(arg, out Flag? flag))
                throw new DockerfileException($"Unknown flag: {arg}");
            if (!used.Add(arg) && flag.Kind != Kind.Strings)
                throw new DockerfileException($"Duplicate flag specified: {arg}");
            switch (flag.Kind)
            {
                case Kind.Bool:
                    if (eq >= 0 && value.Length == 0)
                        throw new DockerfileException($"Missing a value on flag: {arg}");
                    string lower = value.ToLowerInvariant();
                    if (lower.Length == 0)
                        flag.Value = "true";
                    else if (lower is "true" or "false")
                        flag.Value = lower;
                    else
                        throw new DockerfileException($"Expecting boolean value for flag {arg}, not: {value}");
                    break;
                case Kind.String:
                    if (eq < 0)
                        throw new DockerfileException($"Missing a value on flag: {arg}");
                    flag.Value = value;
                    break;
                default:
                    if (eq < 0)
                        throw new DockerfileException($"Missing a value on flag: {arg}");
                    flag.Values.Add(value);
                    flag.Value = value;
                    break;
            }
        }
    }
}
