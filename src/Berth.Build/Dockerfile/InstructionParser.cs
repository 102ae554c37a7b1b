using Berth.Oci.Image;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Berth.Build.Dockerfile;

/// <summary>
/// buildkit's <c>instructions.ParseInstruction</c>: one <see cref="DockerfileNode"/> checked (argument counts, flags)
/// and turned into its <see cref="Instruction"/>. Errors are <see cref="DockerfileException"/>s with Docker 20.10's
/// bare texts (<c>USER requires exactly one argument</c>, <c>Unknown flag: x</c>) and the node's location; the
/// Dockerfile parser prefixes them as Docker does, <c>docker commit --change</c> shows them bare.
/// </summary>
internal static partial class InstructionParser
{
    [GeneratedRegex(@"^[a-z][a-z0-9-_\.]*$")]
    private static partial Regex StageNamePattern();

    [GeneratedRegex(@"(?i)^[ \t\n\f\r]*ONBUILD[ \t\n\f\r]*")]
    private static partial Regex OnbuildPrefix();

    public static Instruction Parse(DockerfileNode node)
    {
        try
        {
            return ParseBare(node);
        }
        catch (DockerfileException e) when (e.Location is null)
        {
            throw new DockerfileException(e.Message, node.Location);
        }
    }

    static Instruction ParseBare(DockerfileNode node)
    {
        BuilderFlags flags = new(node.Flags);
        var args = node.Args;
        var at = node.Location;
        string original = node.Original.Trim();
        switch (node.Keyword)
        {
            case "env":
                flags.Parse();
                return new EnvInstruction(at, original, Pairs(args, "ENV"));
            case "maintainer":
                ExactlyOne(args, "MAINTAINER");
                flags.Parse();
                return new MaintainerInstruction(at, original, args[0]);
            case "label":
                flags.Parse();
                return new LabelInstruction(at, original, Pairs(args, "LABEL"));
            case "add":
                return Copy(node, flags, isAdd: true);
            case "copy":
                return Copy(node, flags, isAdd: false);
            case "from":
                return From(node, flags);
            case "onbuild":
                return Onbuild(node, flags);
            case "workdir":
                ExactlyOne(args, "WORKDIR");
                flags.Parse();
                return new WorkdirInstruction(at, original, args[0]);
            case "run":
                return Run(node, flags);
            case "cmd":
                flags.Parse();
                return new CmdInstruction(at, original, Command(node));
            case "entrypoint":
                flags.Parse();
                return new EntrypointInstruction(at, original, Command(node));
            case "expose":
                if (args.Count == 0)
                    throw AtLeastOne("EXPOSE");
                flags.Parse();
                return new ExposeInstruction(at, original, [.. args]);
            case "user":
                ExactlyOne(args, "USER");
                flags.Parse();
                return new UserInstruction(at, original, args[0]);
            case "volume":
                if (args.Count == 0)
                    throw AtLeastOne("VOLUME");
                flags.Parse();
                List<string> volumes = [];
                foreach (string v in args)
                {
                    string path = v.Trim();
                    if (path.Length == 0)
                        throw new DockerfileException("VOLUME specified can not be an empty string");
                    volumes.Add(path);
                }
                return new VolumeInstruction(at, original, volumes);
            case "stopsignal":
                ExactlyOne(args, "STOPSIGNAL");
                flags.Parse();
                return new StopsignalInstruction(at, original, args[0]);
            case "arg":
                return Arg(node, flags);
            case "shell":
                flags.Parse();
                if (args.Count == 0)
                    throw AtLeastOne("SHELL");
                if (!node.Json)
                    throw new DockerfileException("SHELL requires the arguments to be in JSON form");
                return new ShellInstruction(at, original, [.. args]);
            case "healthcheck":
                return Healthcheck(node, flags);
            default:
                throw new DockerfileException($"unknown instruction: {node.Keyword.ToUpperInvariant()}");
        }
    }

    static DockerfileException AtLeastOne(string command) => new($"{command} requires at least one argument");

    static void ExactlyOne(IReadOnlyList<string> args, string command)
    {
        if (args.Count != 1)
            throw new DockerfileException($"{command} requires exactly one argument");
    }

    /// <summary>ENV and LABEL pairs as written (quotes kept: <see cref="Instruction.Expand"/> removes them).</summary>
    static List<KeyValue> Pairs(IReadOnlyList<string> args, string command)
    {
        if (args.Count == 0)
            throw AtLeastOne(command);
        List<KeyValue> pairs = [];
        for (int i = 0; i + 1 < args.Count; i += 2)
        {
            if (args[i].Length == 0)
                throw new DockerfileException($"{command} names can not be blank");
            pairs.Add(new KeyValue(args[i], args[i + 1]));
        }
        return pairs;
    }

    /// <summary>Exec form as written; shell form as one string (buildkit's handleJSONArgs).</summary>
    static CommandLine Command(DockerfileNode node)
    {
        if (node.Args.Count == 0)
            return new CommandLine([], !node.Json);
        return node.Json ? new CommandLine([.. node.Args], false) : new CommandLine([string.Join(' ', node.Args)], true);
    }

    static FromInstruction From(DockerfileNode node, BuilderFlags flags)
    {
        var args = node.Args;
        string? stageName = null;
        if (args.Count == 3 && string.Equals(args[1], "as", StringComparison.OrdinalIgnoreCase))
        {
            stageName = args[2].ToLowerInvariant();
            if (!StageNamePattern().IsMatch(stageName))
                throw new DockerfileException($"invalid name for build stage: {GoQuote.Quote(args[2])}, name can't start with a number or contain symbols");
        }
        else if (args.Count != 1)
        {
            throw new DockerfileException("FROM requires either one or three arguments");
        }
        var platform = flags.AddString("platform");
        flags.Parse();
        return new FromInstruction(node.Location, node.Original.Trim(), args[0], stageName, platform.Value is { Length: > 0 } p ? p : null);
    }

    static OnbuildInstruction Onbuild(DockerfileNode node, BuilderFlags flags)
    {
        if (node.Args.Count == 0)
            throw AtLeastOne("ONBUILD");
        flags.Parse();
        string trigger = node.Args[0].Trim().ToUpperInvariant();
        if (trigger == "ONBUILD")
            throw new DockerfileException("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
        if (trigger is "MAINTAINER" or "FROM")
            throw new DockerfileException($"{trigger} isn't allowed as an ONBUILD trigger");
        return new OnbuildInstruction(node.Location, node.Original.Trim(), OnbuildPrefix().Replace(node.Original, "", 1));
    }

    static ArgInstruction Arg(DockerfileNode node, BuilderFlags flags)
    {
        if (node.Args.Count == 0)
            throw AtLeastOne("ARG");
        // Docker 20.10 reads no flags on ARG: they are neither checked nor kept.
        List<ArgDeclaration> declarations = [];
        foreach (string arg in node.Args)
        {
            int eq = arg.IndexOf('=');
            if (eq == 0)
                throw new DockerfileException("ARG names can not be blank");
            declarations.Add(eq < 0 ? new ArgDeclaration(arg, null) : new ArgDeclaration(arg[..eq], arg[(eq + 1)..]));
        }
        return new ArgInstruction(node.Location, node.Original.Trim(), declarations);
    }

    static CopyInstruction Copy(DockerfileNode node, BuilderFlags flags, bool isAdd)
    {
        string command = isAdd ? "ADD" : "COPY";
        if (node.Args.Count < 2)
            throw new DockerfileException($"{command} requires at least two arguments, but only one was provided. Destination could not be determined");
        var from = isAdd ? null : flags.AddString("from");
        var chown = flags.AddString("chown");
        var chmod = flags.AddString("chmod");
        var link = flags.AddBool("link");
        var parents = isAdd ? null : flags.AddBool("parents");
        var exclude = flags.AddStrings("exclude");
        var checksum = isAdd ? flags.AddString("checksum") : null;
        var keepGitDir = isAdd ? flags.AddBool("keep-git-dir") : null;
        flags.Parse();

        string destination = node.Args[^1];
        if (HeredocWords.Parse(destination) is not null)
            throw new DockerfileException($"{command} cannot accept a heredoc as a destination");
        List<string> sources = [];
        List<Heredoc> contents = [];
        int next = 0;
        foreach (string source in node.Args.Take(node.Args.Count - 1))
        {
            if (!node.Json && HeredocWords.Parse(source) is not null && next < node.Heredocs.Count)
                contents.Add(node.Heredocs[next++]);
            else
                sources.Add(source);
        }
        return new CopyInstruction(
            node.Location,
            node.Original.Trim(),
            isAdd,
            sources,
            destination,
            contents,
            from?.Value,
            chown.Value is { Length: > 0 } o ? o : null,
            chmod.Value is { Length: > 0 } m ? m : null,
            link.IsTrue,
            parents?.IsTrue ?? false,
            [.. exclude.Values],
            checksum?.Value is { Length: > 0 } c ? c : null,
            keepGitDir?.IsTrue ?? false);
    }

    static HealthcheckInstruction Healthcheck(DockerfileNode node, BuilderFlags flags)
    {
        var args = node.Args;
        if (args.Count == 0)
            throw AtLeastOne("HEALTHCHECK");
        string type = args[0].ToUpperInvariant();
        var rest = args.Skip(1).ToList();
        if (type == "NONE")
        {
            // Docker reads no flags for NONE: they are neither checked nor kept.
            if (rest.Count != 0)
                throw new DockerfileException("HEALTHCHECK NONE takes no arguments");
            return new HealthcheckInstruction(node.Location, node.Original.Trim(), ["NONE"], null, null, null, null, null);
        }
        var interval = flags.AddString("interval");
        var timeout = flags.AddString("timeout");
        var startPeriod = flags.AddString("start-period");
        var startInterval = flags.AddString("start-interval");
        var retries = flags.AddString("retries");
        flags.Parse();
        if (type != "CMD")
            throw new DockerfileException($"Unknown type {GoQuote.Quote(type)} in HEALTHCHECK (try CMD)");
        if (rest.Count == 0)
            throw new DockerfileException("Missing command after HEALTHCHECK CMD");
        List<string> test = node.Json ? ["CMD", .. rest] : ["CMD-SHELL", string.Join(' ', rest)];
        int? retryCount = null;
        if (retries.Value is { Length: > 0 } r)
        {
            if (!long.TryParse(r, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n))
                throw new DockerfileException($"strconv.ParseInt: parsing {GoQuote.Quote(r)}: {(r.TrimStart('-', '+').All(char.IsAsciiDigit) && r.Length > 1 ? "value out of range" : "invalid syntax")}");
            if (n is > int.MaxValue or < int.MinValue)
                throw new DockerfileException($"strconv.ParseInt: parsing {GoQuote.Quote(r)}: value out of range");
            if (n < 1)
                throw new DockerfileException($"--retries must be at least 1 (not {n})");
            retryCount = (int)n;
        }
        return new HealthcheckInstruction(node.Location, node.Original.Trim(), test,
            Interval(interval), Interval(timeout), Interval(startPeriod), Interval(startInterval), retryCount);
    }

    /// <summary>A health check duration: Go's syntax, at least 1ms (Docker's MinimumDuration; dockerd 20.10 refuses 0s too).</summary>
    static TimeSpan? Interval(BuilderFlags.Flag flag)
    {
        if (flag.Value is not { Length: > 0 } text)
            return null;
        TimeSpan d = GoDuration.Parse(text);
        if (d < TimeSpan.FromMilliseconds(1))
            throw new DockerfileException($"Interval {GoQuote.Quote(flag.Name)} cannot be less than 1ms");
        return d;
    }
}
