using System.Globalization;
using Berth.Bench.Build;
using Berth.Bench.Engine;
using Berth.TestSupport;

// The same Dockerfile and context built by berthd and by dockerd (legacy builder), alternately, through the same
// docker CLI (v28, DOCKER_BUILDKIT=0): cold (--no-cache, the image removed first), warm (every step a cache hit),
// one changed file (a rebuild from its COPY on); then where the time goes (the context alone, the CLI's floor, the
// daemon alone through POST /build); medians and ratios, each daemon's peak memory, and the issue's goals.
int iterations = Option("--iterations", 5);
int megabytes = Option("--megabytes", 50);
const string Tag = "bench-build:latest";
var timeout = TimeSpan.FromMinutes(5);

using var context = new BenchContext(megabytes);
using var berth = new BerthDaemon();
using var docker = new DockerDaemon();
var engines = new (string Name, Func<string[], CommandResult> Cli, string Socket)[]
{
    ("berthd", a => berth.Cli(a, timeout), berth.Socket),
    ("dockerd", a => docker.Cli(a, timeout), docker.Socket),
};
// berth's own CLI: against berthd it sends only the files the daemon's kept copy lacks; against dockerd (no such
// endpoint) the whole context, as docker does.
string berthCli = RepoPaths.Executable("berth");
CommandResult BerthBuild(string socket, string[] a) => ProcessRunner.Run(berthCli, ["--host", "unix://" + socket, .. a], timeout: timeout,
    environment: new Dictionary<string, string> { ["BERTH_CONFIG"] = "/nonexistent-berth-config" });
Console.WriteLine($"bench/build: {iterations} iterations each, interleaved; a 10-step, two-stage Dockerfile; a context of {context.Bytes / 1e6:0.0} MB "
    + $"({context.SmallFiles} files of {BenchContext.SmallFileSize / 1000} KB and one big file); docker CLI {Ok(engines[0].Cli(["version", "--format", "{{.Client.Version}}"]))} "
    + $"(DOCKER_BUILDKIT=0) against berthd and dockerd {Ok(engines[1].Cli(["version", "--format", "{{.Server.Version}}"]))}");

var pruneErrors = new HashSet<string>();
var medians = new Dictionary<(Samples, string), List<double>>();
var cold = new Samples("cold build: docker build --no-cache (previous image removed), ms");
var warm = new Samples("warm build: docker build again, every step a cache hit, ms");
var edited = new Samples("one changed file: docker build after new bytes in one file the first COPY reads (3 hits, 5 steps rebuilt), ms");
var berthWarm = new Samples("warm build with the berth CLI: berth build again, every step a cache hit (berthd: only what changed is sent), ms");
var contextOnly = new Samples("the context alone: docker build -f Dockerfile.context (FROM only, the same context sent), ms");
var floor = new Samples("the CLI's floor: docker image inspect (one process start, one request), ms");
var api = new Samples("warm build without the CLI: POST /build of the context packed in memory, every step a cache hit, ms");
for (int i = 0; i < iterations; i++)
{
    foreach (var (name, cli, socket) in engines)
    {
        cli(["rmi", "-f", Tag]);
        // The old build's untagged parents go too, so that every cold build starts from the same store; a daemon
        // that refuses (an image with dependent children) is noted, not fatal: the build does not read them.
        if (cli(["image", "prune", "-f"]) is { ExitCode: not 0 } prune && pruneErrors.Add(name))
            Console.WriteLine($"note: {name}'s docker image prune -f failed: {prune.Stderr.Trim()}");
        Time(cold, name, () => Build(name, cli, ["--no-cache"], 0));
        Time(warm, name, () => Build(name, cli, [], BenchContext.CacheableSteps));
        Time(berthWarm, name, () => Build(name, a => BerthBuild(socket, a), [], BenchContext.CacheableSteps));
        byte[] packed = context.Tar();
        Time(api, name, () => ExpectHits(name, "POST /build", ApiBuild.Post(socket, packed, Tag).Output, BenchContext.CacheableSteps));
        Time(contextOnly, name, () => Ok(cli(["build", "-q", "-f", Path.Combine(context.Directory, BenchContext.ContextOnlyDockerfile), "-t", "bench-context:latest", context.Directory])));
        Time(floor, name, () => Ok(cli(["image", "inspect", "-f", "{{.Id}}", Tag])));
        context.EditOneFile();
        Time(edited, name, () => Build(name, cli, [], BenchContext.StepsBeforeCopy));
    }
}

var memory = new Samples("peak resident memory over the run (VmHWM; dockerd: with its containerd), MiB", "MiB");
memory.Add("berthd", DaemonMemory.PeakMiB(berth.Pid));
memory.Add("dockerd", DaemonMemory.PeakMiB(int.Parse(File.ReadAllText(docker.PathOf("docker.pid")).Trim(), CultureInfo.InvariantCulture), "containerd"));

// One more cold and warm build each, through the API, with the time at which each step began.
var profiles = new List<(string Title, List<(string Step, double Ms)> Steps)>();
foreach (var (name, _, socket) in engines)
{
    byte[] packed = context.Tar();
    profiles.Add(($"{name} cold", ApiBuild.Post(socket, packed, Tag, noCache: true).Steps));
    var (output, steps) = ApiBuild.Post(socket, packed, Tag);
    ExpectHits(name, "POST /build", output, BenchContext.CacheableSteps);
    profiles.Add(($"{name} warm", steps));
}

foreach (var samples in new[] { cold, warm, berthWarm, edited, contextOnly, floor, api, memory })
    samples.Print();
StepProfile.Print(profiles);

Console.WriteLine("issue 7's goals");
Goal("berthd's cold build faster than dockerd's", Median(cold, "berthd") < Median(cold, "dockerd"));
Goal("berthd's warm build faster than dockerd's", Median(warm, "berthd") < Median(warm, "dockerd"));
Goal($"berthd's warm build under 100 ms with the berth CLI (median {Median(berthWarm, "berthd"):0.0} ms)", Median(berthWarm, "berthd") < 100);
Goal($"berthd's warm build under 100 ms with the docker CLI (median {Median(warm, "berthd"):0.0} ms; the docker CLI sends the whole context)", Median(warm, "berthd") < 100);

void Time(Samples samples, string who, Action action)
{
    double ms = samples.Time(who, action);
    if (!medians.TryGetValue((samples, who), out var values))
        medians[(samples, who)] = values = [];
    values.Add(ms);
}

double Median(Samples samples, string who) => Samples.Median(medians[(samples, who)]);

static void Goal(string what, bool met) => Console.WriteLine($"  {(met ? "met    " : "NOT met")}  {what}");

// A build that is not what the case claims (a warm build that ran a step) would time something else: it fails the run.
void Build(string name, Func<string[], CommandResult> cli, string[] flags, int hits)
    => ExpectHits(name, "docker build " + string.Join(' ', flags), Ok(cli(["build", .. flags, "-t", Tag, context.Directory])), hits);

static void ExpectHits(string name, string what, string output, int hits)
{
    int found = output.Split("Using cache").Length - 1;
    if (found != hits)
        throw new InvalidOperationException($"{name}: {what} had {found} cache hits, not {hits}:\n{output}");
}

static string Ok(CommandResult r) => r.EnsureSuccess("docker").Stdout.Trim();

int Option(string name, int fallback)
{
    int at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
}
