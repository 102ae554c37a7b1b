using System.Globalization;
using Berth.Bench.Engine;
using Berth.TestSupport;

// Every case runs against berthd and dockerd alternately, through the same docker CLI (v28), with
// --network none on both (the engine without its networks; bench/network has run --rm on the default bridge);
// medians and ratios are printed.
int iterations = args.Length == 2 && args[0] == "--iterations" ? int.Parse(args[1], CultureInfo.InvariantCulture) : 15;
using var berth = new BerthDaemon();
using var docker = new DockerDaemon();
var engines = new (string Name, Func<string[], CommandResult> Cli, string Image)[]
{
    ("berthd", a => berth.Cli(a), BerthDaemon.Image),
    ("dockerd", a => docker.Cli(a), DockerDaemon.Image),
};
Console.WriteLine($"bench/engine: {iterations} iterations each, interleaved; docker CLI {Ok(engines[0].Cli(["version", "--format", "{{.Client.Version}}"]))} against berthd and dockerd {Ok(engines[1].Cli(["version", "--format", "{{.Server.Version}}"]))} (runc)");

var results = new List<Samples>();
var run = new Samples("docker run --rm busybox true");
var create = new Samples("docker create");
var start = new Samples("docker start");
var exec = new Samples("docker exec true");
var stop = new Samples("docker stop (a shell that exits on SIGTERM)");
var rm = new Samples("docker rm");
for (int i = 0; i < iterations; i++)
{
    foreach (var (name, cli, image) in engines)
    {
        run.Time(name, () => Ok(cli(["run", "--rm", "--network", "none", image, "true"])));
        string id = "";
        create.Time(name, () => id = Ok(cli(["create", "--network", "none", image, "sh", "-c", "trap 'exit 0' TERM; while :; do sleep 0.05; done"])));
        start.Time(name, () => Ok(cli(["start", id])));
        exec.Time(name, () => Ok(cli(["exec", id, "true"])));
        stop.Time(name, () => Ok(cli(["stop", id])));
        rm.Time(name, () => Ok(cli(["rm", id])));
    }
}
results.AddRange([run, create, start, exec, stop, rm]);

var logs = new Samples("docker logs of 100 MB (json-file)");
foreach (var (name, cli, image) in engines)
{
    string id = Ok(cli(["run", "-d", "--network", "none", image, "sh", "-c", "yes 0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdef | head -c 100000000"]));
    Ok(cli(["wait", id]));
    for (int i = 0; i < Math.Max(3, iterations / 3); i++)
        logs.Time(name, () => Ok(cli(["logs", id])));
    Ok(cli(["rm", id]));
}
results.Add(logs);

var concurrent = new Samples("50 concurrent docker run --rm busybox true (wall time)");
for (int i = 0; i < Math.Max(3, iterations / 5); i++)
{
    foreach (var (name, cli, image) in engines)
        concurrent.Time(name, () => Parallel.For(0, 50, new ParallelOptions { MaxDegreeOfParallelism = 50 }, _ => Ok(cli(["run", "--rm", "--network", "none", image, "true"]))));
}
results.Add(concurrent);

var idle = new Samples("idle daemon RSS (dockerd: with its containerd)", "MiB");
for (int i = 0; i < 3; i++)
{
    Thread.Sleep(1000);
    idle.Add("berthd", Rss(berth.Pid));
    idle.Add("dockerd", Rss(DaemonPid(docker)) + ChildrenRss(DaemonPid(docker), "containerd"));
}
results.Add(idle);

var shims = new Samples("RSS of one shim with a running container", "MiB");
foreach (var (name, cli, image) in engines)
{
    string id = Ok(cli(["run", "-d", "--network", "none", image, "sleep", "1000"]));
    Thread.Sleep(500);
    int containerPid = int.Parse(Ok(cli(["inspect", "-f", "{{.State.Pid}}", id])), CultureInfo.InvariantCulture);
    shims.Add(name, Rss(ParentOf(containerPid)));
    Ok(cli(["rm", "-f", id]));
}
results.Add(shims);

foreach (var r in results)
    r.Print();

static string Ok(CommandResult r) => r.EnsureSuccess("docker").Stdout.Trim();

static double Rss(int pid)
{
    foreach (string line in File.ReadLines($"/proc/{pid}/status"))
        if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    return 0;
}

static int ParentOf(int pid)
{
    string stat = File.ReadAllText($"/proc/{pid}/stat");
    return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
}

static double ChildrenRss(int parent, string name)
{
    double total = 0;
    foreach (string dir in Directory.EnumerateDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _)))
    {
        int pid = int.Parse(Path.GetFileName(dir), CultureInfo.InvariantCulture);
        try
        {
            if (ParentOf(pid) == parent && File.ReadAllText($"/proc/{pid}/comm").Trim() == name)
                total += Rss(pid);
        }
        catch (IOException)
        {
        }
    }
    return total;
}

static int DaemonPid(DockerDaemon docker) => int.Parse(File.ReadAllText(docker.PathOf("docker.pid")).Trim(), CultureInfo.InvariantCulture);
