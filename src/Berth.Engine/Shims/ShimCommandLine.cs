using Berth.Engine.Logs;

namespace Berth.Engine.Shims;

/// <summary>A usage error in berth-shim's command line.</summary>
public sealed class ShimUsageException(string message) : Exception(message);

/// <summary>
/// berth-shim's flags, written by the client and read by the shim:
/// <c>--serve --id ID --bundle DIR --state DIR --runtime PATH --runtime-root DIR [--runtime-arg ARG]... [--tty]
/// [--stdin] [--stdin-once] [--log-type TYPE [--log-path FILE] [--log-opt KEY=VALUE]... [--log-attr KEY=VALUE]...]</c>.
/// </summary>
/// <remarks>
/// <c>--serve</c> is required: it says that the caller runs the shim itself for as long as the
/// container lives (see <see cref="ShimProtocol"/>). Without it the shim refuses at once instead of
/// serving, so that a caller that expects the launcher of earlier versions (which started the shim
/// detached and exited at once) gets an error rather than waiting for the container's end.
/// </remarks>
public static class ShimCommandLine
{
    public const string Serve = "--serve";

    public static List<string> Format(ShimOptions options)
    {
        var args = new List<string>
        {
            Serve,
            "--id", options.Id,
            "--bundle", options.Bundle,
            "--state", options.StateDirectory,
            "--runtime", options.Runtime,
            "--runtime-root", options.RuntimeRoot,
        };
        foreach (var arg in options.RuntimeArgs ?? [])
            args.AddRange(["--runtime-arg", arg]);
        if (options.Tty)
            args.Add("--tty");
        if (options.OpenStdin)
            args.Add("--stdin");
        if (options.StdinOnce)
            args.Add("--stdin-once");
        if (options.Log is { } log && log.Type != "none")
        {
            args.AddRange(["--log-type", log.Type]);
            if (options.LogPath is not null)
                args.AddRange(["--log-path", options.LogPath]);
            foreach (var (key, value) in log.Options.OrderBy(o => o.Key, StringComparer.Ordinal))
                args.AddRange(["--log-opt", $"{key}={value}"]);
            foreach (var (key, value) in (options.LogAttributes ?? new Dictionary<string, string>()).OrderBy(o => o.Key, StringComparer.Ordinal))
                args.AddRange(["--log-attr", $"{key}={value}"]);
        }
        return args;
    }

    /// <summary>Parses the flags; <paramref name="shimPath"/> fills <see cref="ShimOptions.ShimPath"/>.</summary>
    public static ShimOptions Parse(IReadOnlyList<string> args, string shimPath)
    {
        string? id = null, bundle = null, state = null, runtime = null, root = null, logType = null, logPath = null;
        bool tty = false, stdin = false, stdinOnce = false, serve = false;
        var runtimeArgs = new List<string>();
        var logOptions = new Dictionary<string, string>(StringComparer.Ordinal);
        var logAttributes = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < args.Count; i++)
        {
            string flag = args[i];
            switch (flag)
            {
                case Serve: serve = true; break;
                case "--tty": tty = true; break;
                case "--stdin": stdin = true; break;
                case "--stdin-once": stdinOnce = true; break;
                case "--id": id = Value(args, ref i); break;
                case "--bundle": bundle = Value(args, ref i); break;
                case "--state": state = Value(args, ref i); break;
                case "--runtime": runtime = Value(args, ref i); break;
                case "--runtime-root": root = Value(args, ref i); break;
                case "--runtime-arg": runtimeArgs.Add(Value(args, ref i)); break;
                case "--log-type": logType = Value(args, ref i); break;
                case "--log-path": logPath = Value(args, ref i); break;
                case "--log-opt": AddPair(logOptions, flag, Value(args, ref i)); break;
                case "--log-attr": AddPair(logAttributes, flag, Value(args, ref i)); break;
                default:
                    throw new ShimUsageException($"unknown flag {flag}");
            }
        }
        if (!serve)
            throw new ShimUsageException($"{Serve} is required");
        var log = logType is null || logType == "none" ? null : new LogConfig(logType, logOptions);
        return new ShimOptions(
            Required(id, "--id"), Required(bundle, "--bundle"), Required(state, "--state"),
            Required(runtime, "--runtime"), Required(root, "--runtime-root"),
            tty, stdin, stdinOnce, log, logPath, shimPath,
            runtimeArgs.Count == 0 ? null : runtimeArgs, logAttributes.Count == 0 ? null : logAttributes);
    }

    static void AddPair(Dictionary<string, string> pairs, string flag, string pair)
    {
        int eq = pair.IndexOf('=');
        if (eq <= 0)
            throw new ShimUsageException($"{flag} {pair}: want KEY=VALUE");
        pairs[pair[..eq]] = pair[(eq + 1)..];
    }

    static string Value(IReadOnlyList<string> args, ref int i)
    {
        if (i + 1 >= args.Count)
            throw new ShimUsageException($"{args[i]} needs a value");
        return args[++i];
    }

    static string Required(string? value, string flag)
        => string.IsNullOrEmpty(value) ? throw new ShimUsageException($"{flag} is required") : value;
}
