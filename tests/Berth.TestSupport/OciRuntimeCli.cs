namespace Berth.TestSupport;

/// <summary>
/// An OCI runtime driven through its runc-compatible command line with a private state root:
/// berth-runtime (the published NativeAOT executable), runc or crun from Debian's packages.
/// Dispose force-deletes every container it saw created and removes the root.
/// </summary>
public sealed class OciRuntimeCli : IDisposable
{
    readonly string _file;
    readonly string[] _prefix;
    readonly List<string> _ids = [];

    OciRuntimeCli(string name, string file, string[] prefix)
    {
        Name = name;
        _file = file;
        _prefix = prefix;
        Root = Path.Combine(Path.GetTempPath(), TestIds.New($"{name}-root"));
        Directory.CreateDirectory(Root);
    }

    public string Name { get; }

    public string Root { get; }

    public static OciRuntimeCli Berth() => new("berth", RepoPaths.Executable("berth-runtime"), []);

    public static OciRuntimeCli Runc() => new("runc", HostTools.Require("runc", "runc"), []);

    /// <summary>
    /// crun 1.8 refuses hybrid cgroup hosts ("cgroups in hybrid mode not supported"): it runs in a
    /// private mount namespace where /sys/fs/cgroup/unified is unmounted, when that mount exists.
    /// </summary>
    public static OciRuntimeCli Crun()
    {
        string crun = HostTools.Require("crun", "crun");
        if (!File.Exists("/sys/fs/cgroup/unified/cgroup.controllers"))
            return new("crun", crun, []);
        string unshare = HostTools.Require("unshare", "util-linux");
        return new("crun", unshare, ["-m", "--propagation", "private", "/bin/sh", "-c", "umount /sys/fs/cgroup/unified && exec \"$0\" \"$@\"", crun]);
    }

    /// <summary>Runs the runtime with --root and the given arguments.</summary>
    public CommandResult Invoke(IEnumerable<string> args, string? stdin = null, TimeSpan? timeout = null)
    {
        var all = new List<string>(_prefix) { "--root", Root };
        all.AddRange(args);
        return ProcessRunner.Run(_file, all, stdin, timeout);
    }

    public CommandResult Invoke(params string[] args) => Invoke((IEnumerable<string>)args);

    /// <summary>Remembers an id so that Dispose deletes it even if the test fails half-way.</summary>
    public string Track(string id)
    {
        _ids.Add(id);
        return id;
    }

    /// <summary>`run` in the foreground: the container's output and exit status.</summary>
    public CommandResult Run(Bundle bundle, string? id = null, TimeSpan? timeout = null)
    {
        id ??= Track(TestIds.New(Name));
        return Invoke(["run", "--bundle", bundle.Path, id], timeout: timeout);
    }

    public void Create(Bundle bundle, string id, params string[] extra)
    {
        Track(id);
        Invoke(["create", .. extra, "--bundle", bundle.Path, id]).EnsureSuccess($"{Name} create {id}");
    }

    public string State(string id) => Invoke("state", id).EnsureSuccess($"{Name} state {id}").Stdout;

    public void Dispose()
    {
        foreach (var id in _ids)
            Invoke("delete", "--force", id);
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
