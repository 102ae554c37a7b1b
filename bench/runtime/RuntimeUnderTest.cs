using System.Diagnostics;
using Berth.Linux;

namespace Berth.Bench.Runtime;

/// <summary>One runtime, driven as containerd drives runc: create, start, wait for the process, delete.</summary>
internal sealed class RuntimeUnderTest : IDisposable
{
    readonly string _root;
    readonly List<double> _cycles = [];
    readonly List<double>[] _phases = [[], [], [], []];

    RuntimeUnderTest(string name, string path)
    {
        Name = name;
        Path = path;
        _root = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"berth-bench-{name}-{Environment.ProcessId}");
        Directory.CreateDirectory(_root);
    }

    public string Name { get; }

    public string Path { get; }

    public IReadOnlyList<double> Cycles => _cycles;

    public static readonly string[] PhaseNames = ["create", "start", "wait", "delete"];

    /// <summary>Milliseconds of each phase of each recorded cycle, by <see cref="PhaseNames"/>.</summary>
    public IReadOnlyList<double>[] Phases => _phases;

    /// <summary>Peak RSS of any runtime command (create, start, delete) in KiB, measured by GNU time.</summary>
    public long CommandPeakRssKiB { get; private set; }

    public static RuntimeUnderTest? Find(string name, string berthPath)
    {
        string? path = name == "berth-runtime" ? berthPath : Which(name);
        if (path is null || !File.Exists(path))
        {
            Console.Error.WriteLine($"{name}: not found, skipped (apt-get install {name})");
            return null;
        }
        return new RuntimeUnderTest(name, path);
    }

    /// <summary>One full cycle; returns its wall time in milliseconds and the time of each phase.</summary>
    public (double Total, double[] Phases) Cycle(string bundle, string id, bool measureMemory = false)
    {
        string pidFile = System.IO.Path.Combine(_root, id + ".pid");
        var phases = new double[4];
        var clock = Stopwatch.StartNew();
        Command(["create", "--bundle", bundle, "--pid-file", pidFile, id], measureMemory);
        phases[0] = clock.Elapsed.TotalMilliseconds;
        int pid = int.Parse(File.ReadAllText(pidFile));
        Command(["start", id], measureMemory);
        phases[1] = clock.Elapsed.TotalMilliseconds;
        // The bench is a child subreaper: the container's process is reparented to it.
        var status = Processes.Wait(pid);
        phases[2] = clock.Elapsed.TotalMilliseconds;
        Command(["delete", id], measureMemory);
        phases[3] = clock.Elapsed.TotalMilliseconds;
        if (status is not { Code: 0, Signaled: false })
            throw new InvalidOperationException($"{Name}: container exited with {status}");
        File.Delete(pidFile);
        for (int i = 3; i > 0; i--)
            phases[i] -= phases[i - 1];
        return (clock.Elapsed.TotalMilliseconds, phases);
    }

    public void Record((double Total, double[] Phases) cycle)
    {
        _cycles.Add(cycle.Total);
        for (int i = 0; i < 4; i++)
            _phases[i].Add(cycle.Phases[i]);
    }

    /// <summary>
    /// Runs one runtime command. For memory, through GNU time: a child started by posix_spawn
    /// (vfork) would report the bench's own resident size as its peak, a forked one does not.
    /// </summary>
    void Command(string[] args, bool measureMemory)
    {
        string? rssFile = measureMemory ? System.IO.Path.Combine(_root, "rss") : null;
        string program = rssFile is null ? Path : "/usr/bin/time";
        // GNU time runs the runtime with its path as argv[0].
        var all = rssFile is null ? new List<string> { Name } : ["time", "-f", "%M", "-o", rssFile, Path];
        all.AddRange(["--root", _root, .. args]);
        int pid = Processes.Spawn(new SpawnOptions
        {
            Path = program,
            Args = all,
            Files = new Dictionary<int, int> { [0] = 0, [1] = 1, [2] = 2 },
        });
        var status = Processes.Wait(pid);
        if (status is not { Code: 0, Signaled: false })
            throw new InvalidOperationException($"{Name} {string.Join(' ', args)} failed: {status}");
        if (rssFile is not null)
            CommandPeakRssKiB = Math.Max(CommandPeakRssKiB, long.Parse(File.ReadAllText(rssFile).Trim()));
    }

    static string? Which(string name)
        => (Environment.GetEnvironmentVariable("PATH") ?? "/usr/sbin:/usr/bin:/sbin:/bin").Split(':')
            .Select(d => System.IO.Path.Combine(d, name)).FirstOrDefault(File.Exists);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
