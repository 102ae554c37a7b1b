using System.Text.RegularExpressions;
using Berth.Oci.Runtime;
using Berth.TestSupport;

namespace Berth.Runtime.Tests.Comparison;

/// <summary>
/// A bundle started with `run` whose busybox script prints what it sees from the inside. What is
/// compared is its stdout and exit status, plus, when the runtime could not start the process,
/// the error in runc's words (`exec: "x": ...`); the container id is replaced by &lt;id&gt;.
/// </summary>
internal sealed partial record RunProbe(string Name, string Script)
{
    /// <summary>Changes to the bundle before the run (the spec, files for bind sources).</summary>
    public Action<Bundle>? Prepare { get; init; }

    /// <summary>Shorthand for a <see cref="Prepare"/> that only changes the spec.</summary>
    public Action<RuntimeSpec> Spec
    {
        init => Prepare = b => b.Configure(value);
    }

    /// <summary>Takes out what legitimately differs between runs (numbers the kernel hands out, host paths).</summary>
    public Func<string, string>? Normalize { get; init; }

    /// <summary>Why runc and crun see different things here; null when they must agree.</summary>
    public string? PeersDiffer { get; init; }

    /// <summary>Berth must agree with runc itself, not merely with one of the two.</summary>
    public bool FollowRunc { get; init; }

    /// <summary>A check of berth's own observation: that the probe really looked at what it is about.</summary>
    public Action<string>? Sanity { get; init; }

    /// <summary>The process's args instead of sh -c Script (for probes of args[0] itself).</summary>
    public string[]? Args { get; init; }

    public override string ToString() => Name;

    public string Observe(OciRuntimeCli runtime)
    {
        using var bundle = Bundle.Create("cmp", Args ?? ["sh", "-c", Script]);
        Prepare?.Invoke(bundle);
        var (result, id) = RunOnce(runtime, bundle);
        string text = result.Stdout + $"exit={result.ExitCode}\n";
        if (result.ExitCode != 0 && RuncStartError().Match(result.Errors) is { Success: true } error)
            text += "error: " + error.Value + "\n";
        text = text.Replace(id, "<id>");
        return Normalize is null ? text : Normalize(text);
    }

    /// <summary>
    /// runc 1.1.5 sometimes loses a race with a process that exits at once ("error updating spec
    /// state: invalid state transition from stopped to paused"; its run reports 1 and no output):
    /// a runc bug, not an observation, so runc gets a second run.
    /// </summary>
    static (CommandResult Result, string Id) RunOnce(OciRuntimeCli runtime, Bundle bundle)
    {
        for (int attempt = 0; ; attempt++)
        {
            string id = runtime.Track(TestIds.New("cmp-" + runtime.Name));
            var result = runtime.Run(bundle, id);
            if (attempt == 0 && runtime.Name == "runc" && result.Stderr.Contains("invalid state transition"))
                continue;
            return (result, id);
        }
    }

    [GeneratedRegex("""exec: "[^"]*": [^"\n]*""")]
    private static partial Regex RuncStartError();
}
