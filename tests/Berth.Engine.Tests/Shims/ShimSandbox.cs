using System.Text.Json;
using Berth.Engine.Logs;
using Berth.Engine.Shims;
using Berth.Linux;
using Berth.Oci;
using Berth.TestSupport;
using OciProcess = Berth.Oci.Runtime.Process;

namespace Berth.Engine.Tests.Shims;

/// <summary>
/// One container under a real berth-shim and berth-runtime (the published NativeAOT executables):
/// a private directory (runtime root, shim state, json-file log), a busybox bundle with its cgroup
/// under /berth, and the shim's options. Dispose stops whatever is left (shim and container, by PID
/// and cgroup), force-deletes the container from the runtime and removes every file.
/// </summary>
internal sealed class ShimSandbox : IDisposable
{
    public ShimSandbox(string name, params string[] args)
        : this(RepoPaths.Executable("berth-runtime"), name, args)
    {
    }

    ShimSandbox(string runtime, string name, string[] args)
    {
        Runtime = runtime;
        Root = Path.Combine(Path.GetTempPath(), TestIds.New(name));
        Id = Path.GetFileName(Root);
        Directory.CreateDirectory(RuntimeRoot);
        Directory.CreateDirectory(StateDirectory);
        Bundle = Bundle.Create(name, args).Configure(spec => spec.Linux!.CgroupsPath = "/" + Cgroup);
    }

    /// <summary>A sandbox whose container runs under another runtime (runc standing in for berth-runtime).</summary>
    public static ShimSandbox WithRuntime(string runtime, string name, params string[] args) => new(runtime, name, args);

    public string Root { get; }

    public string Id { get; }

    public Bundle Bundle { get; }

    public string Cgroup => $"berth/{Id}";

    public string RuntimeRoot => Path.Combine(Root, "runtime");

    public string StateDirectory => Path.Combine(Root, "shim");

    public string LogPath => Path.Combine(Root, "container-json.log");

    public string Runtime { get; }

    public static string ShimExecutable => RepoPaths.Executable("berth-shim");

    public ShimOptions Options(bool tty = false, bool stdin = false, bool stdinOnce = false)
        => new(Id, Bundle.Path, StateDirectory, Runtime, RuntimeRoot, tty, stdin, stdinOnce,
            new LogConfig("json-file", new Dictionary<string, string>()), LogPath, ShimExecutable);

    public Task<ShimClient> SpawnAsync(bool tty = false, bool stdin = false, bool stdinOnce = false)
        => ShimClient.SpawnAsync(Options(tty, stdin, stdinOnce), CancellationToken.None);

    /// <summary>Whether the runtime still has the container's state.</summary>
    public bool RuntimeKnowsContainer => Directory.Exists(Path.Combine(RuntimeRoot, Id));

    /// <summary>Live shim processes of this sandbox (their command line names the state directory).</summary>
    public List<int> ShimProcesses() => Leftovers.ProcessesMentioning(StateDirectory);

    /// <summary>Waits until no shim of this sandbox runs; fails rather than hang.</summary>
    public void WaitUntilShimExited()
    {
        for (int i = 0; i < 600 && ShimProcesses().Count > 0; i++)
            Thread.Sleep(50);
        Assert.Empty(ShimProcesses());
    }

    /// <summary>The json-file log's entries as (stream, log text).</summary>
    public List<(string Stream, string Log)> LogEntries()
    {
        var entries = new List<(string, string)>();
        if (!File.Exists(LogPath))
            return entries;
        foreach (var line in File.ReadLines(LogPath))
        {
            using var entry = JsonDocument.Parse(line);
            entries.Add((entry.RootElement.GetProperty("stream").GetString()!, entry.RootElement.GetProperty("log").GetString()!));
        }
        return entries;
    }

    /// <summary>An OCI process.json for exec: the bundle's process with other arguments.</summary>
    public string WriteProcessJson(string name, bool terminal, params string[] args)
    {
        var process = OciJson.Read<OciProcess>(OciJson.WriteCompact(Bundle.Spec.Process!), "process");
        process.Args = [.. args];
        process.Terminal = terminal;
        string path = Path.Combine(Root, name + ".json");
        File.WriteAllBytes(path, OciJson.WriteCompact(process));
        return path;
    }

    public void Dispose()
    {
        try
        {
            Leftovers.KillProcesses(Root, Cgroup);
            ProcessRunner.Run(Runtime, ["--root", RuntimeRoot, "delete", "--force", Id]);
            Leftovers.RemoveAll(Root, Cgroup);
        }
        finally
        {
            Bundle.Dispose();
        }
    }
}
