using System.Collections.Concurrent;
using System.Diagnostics;

namespace Berth.Engine.Runtimes;

/// <summary>What a helper program says of itself with <c>--version</c>: its version and the commit it was built from.</summary>
public sealed record ToolVersion(string Version, string Commit);

/// <summary>
/// The versions of the default runtime and of the init binary, as dockerd finds them for /info (RuncCommit,
/// InitCommit) and /version (Components): by running <c>PROGRAM --version</c> and reading its output the way dockerd
/// does. Asked once per program for the daemon's lifetime (dockerd asks at every request).
/// </summary>
public static class ToolVersions
{
    static readonly ConcurrentDictionary<string, Lazy<string?>> Outputs = new();

    /// <summary>The runtime at <paramref name="path"/>; null when it cannot be run or says nothing readable.</summary>
    public static ToolVersion? Runtime(string path) => Output(path) is { } text ? ParseRuntime(text) : null;

    /// <summary>The init binary at <paramref name="path"/>; null when it cannot be run or says nothing readable.</summary>
    public static ToolVersion? Init(string path) => Output(path) is { } text ? ParseInit(text) : null;

    /// <summary>
    /// moby's parseRuntimeVersion: a line with "version" gives the version (after it), a "commit:" line the commit
    /// (<c>runc version 1.1.5</c> / <c>commit: v1.1.5-0-gf19387a</c>).
    /// </summary>
    public static ToolVersion? ParseRuntime(string output)
    {
        string version = "", commit = "";
        foreach (string line in output.Trim().Split('\n'))
        {
            if (line.Contains("version", StringComparison.Ordinal))
                version = line[(line.LastIndexOf("version", StringComparison.Ordinal) + "version".Length)..].Trim();
            else if (line.StartsWith("commit:", StringComparison.Ordinal))
                commit = line["commit:".Length..].Trim();
        }
        return version.Length == 0 && commit.Length == 0 ? null : new ToolVersion(version, commit);
    }

    /// <summary>
    /// moby's parseInitVersion, for tini's <c>tini version 0.19.0 - git.de40ad0</c> and berth-init's
    /// <c>berth-init version 0.1.0 - git.3b2a023</c>: the version after "version ", the commit after " - git.".
    /// </summary>
    public static ToolVersion? ParseInit(string output)
    {
        string first = output.Trim().Split('\n')[0];
        string version = "", commit = "";
        int dash = first.IndexOf(" - ", StringComparison.Ordinal);
        if (dash >= 0)
        {
            string[] git = first[(dash + 3)..].Trim().Split('.');
            if (git is ["git", var id])
                commit = id;
            first = first[..dash];
        }
        int at = first.IndexOf("version ", StringComparison.Ordinal);
        if (at >= 0)
            version = first[(at + "version ".Length)..].Trim();
        return version.Length == 0 && commit.Length == 0 ? null : new ToolVersion(version, commit);
    }

    static string? Output(string path) => Outputs.GetOrAdd(path, p => new Lazy<string?>(() => Run(p))).Value;

    static string? Run(string path)
    {
        var info = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("--version");
        try
        {
            using var process = Process.Start(info);
            if (process is null)
                return null;
            var stdout = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(5)))
            {
                process.Kill(); // by its id: the process started here
                process.WaitForExit();
                return null;
            }
            return process.ExitCode == 0 ? stdout.Result : null;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return null;
        }
    }
}
