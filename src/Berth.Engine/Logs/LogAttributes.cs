using System.Text.RegularExpressions;

namespace Berth.Engine.Logs;

/// <summary>
/// The extra attributes a log driver stores with every entry (dockerd's logger.Info.ExtraAttributes): the
/// container labels named by the "labels" option (comma-separated) or matched by "labels-regex", and the
/// environment variables named by "env" or matched by "env-regex". The "tag" option (a Go template over the
/// container's name, ID and image) is not applied.
/// </summary>
public static class LogAttributes
{
    public static IReadOnlyDictionary<string, string> Extract(
        IReadOnlyDictionary<string, string> options, IReadOnlyDictionary<string, string>? labels, IEnumerable<string>? environment)
    {
        var extra = new Dictionary<string, string>(StringComparer.Ordinal);
        labels ??= new Dictionary<string, string>();
        if (options.TryGetValue("labels", out string? labelNames) && labelNames.Length > 0)
        {
            foreach (string name in labelNames.Split(','))
            {
                if (labels.TryGetValue(name, out string? value))
                    extra[name] = value;
            }
        }
        if (options.TryGetValue("labels-regex", out string? labelPattern) && labelPattern.Length > 0)
        {
            var regex = CompileGoRegex(labelPattern);
            foreach (var (name, value) in labels)
            {
                if (regex.IsMatch(name))
                    extra[name] = value;
            }
        }
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string variable in environment ?? [])
        {
            int equals = variable.IndexOf('=');
            if (equals >= 0)
                variables[variable[..equals]] = variable[(equals + 1)..];
        }
        if (options.TryGetValue("env", out string? envNames) && envNames.Length > 0)
        {
            foreach (string name in envNames.Split(','))
            {
                if (variables.TryGetValue(name, out string? value))
                    extra[name] = value;
            }
        }
        if (options.TryGetValue("env-regex", out string? envPattern) && envPattern.Length > 0)
        {
            var regex = CompileGoRegex(envPattern);
            foreach (var (name, value) in variables)
            {
                if (regex.IsMatch(name))
                    extra[name] = value;
            }
        }
        return extra;
    }

    /// <summary>A labels-regex or env-regex option; Go's RE2 and .NET agree on the usual patterns.</summary>
    internal static Regex CompileGoRegex(string pattern)
    {
        try
        {
            return new Regex(pattern, RegexOptions.CultureInvariant);
        }
        catch (ArgumentException e)
        {
            throw new LogConfigException("error parsing regexp: " + e.Message, e);
        }
    }
}
