using Berth.Cli.Client;
using Berth.Cli.CommandLine;

namespace Berth.Cli.Options;

/// <summary>docker's opts for environment variables and labels: -e, --env-file, -l, --label-file.</summary>
internal static class KeyValueOptions
{
    /// <summary>opts.ValidateEnv: "KEY=value" as is; a bare "KEY" takes the client's own value when it has one.</summary>
    public static string ValidateEnv(string value, IReadOnlyDictionary<string, string?> environment)
    {
        int eq = value.IndexOf('=');
        string key = eq < 0 ? value : value[..eq];
        if (key.Length == 0)
            throw new FlagValueException($"invalid environment variable: {value}");
        if (eq >= 0)
            return value;
        return environment.TryGetValue(value, out var v) && v is not null ? value + "=" + v : value;
    }

    /// <summary>kvfile.Parse: one KEY=value per line, # comments and blank lines skipped, bare keys from the environment.</summary>
    public static List<string> ReadFile(string path, IReadOnlyDictionary<string, string?>? environment)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"open {path}: {(e is FileNotFoundException or DirectoryNotFoundException ? "no such file or directory" : e.Message)}");
        }
        var result = new List<string>();
        int number = 0;
        foreach (var raw in lines)
        {
            number++;
            string line = number == 1 ? raw.TrimStart('\uFEFF') : raw;
            line = line.TrimStart();
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            int eq = line.IndexOf('=');
            string key = eq < 0 ? line : line[..eq];
            if (key.Length == 0)
                throw new CliException($"no variable name on line '{line}'");
            if (key.Any(char.IsWhiteSpace))
                throw new CliException($"variable '{key}' contains whitespaces");
            if (eq >= 0)
                result.Add(line);
            else if (environment is not null && environment.TryGetValue(key, out var v) && v is not null)
                result.Add(key + "=" + v);
            else if (environment is null)
                result.Add(key);
        }
        return result;
    }

    /// <summary>opts.ConvertKVStringsToMap: "k=v" to k:v, a bare "k" to k:"".</summary>
    public static Dictionary<string, string> ToMap(IEnumerable<string> values)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var kv in values)
        {
            int eq = kv.IndexOf('=');
            if (eq < 0)
                map[kv] = "";
            else
                map[kv[..eq]] = kv[(eq + 1)..];
        }
        return map;
    }

    /// <summary>A "key=value" flag value that needs its "=" (--sysctl, --log-opt, --storage-opt).</summary>
    public static string RequireKeyValue(string value, string what)
    {
        if (!value.Contains('='))
            throw new FlagValueException($"invalid {what} format: {value}");
        return value;
    }
}
