using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Berth.Bench.Engine;
using Berth.Bench.Registry;
using Berth.TestSupport;

// (1) berth registry serve and distribution 2.8 (docker-registry), each fresh and empty per iteration, pushed to and
// pulled from by the same clients: skopeo with a multi-layer image, this process with many small blobs; their peak
// memory. (2) berthd's and dockerd's pull of that image from one berth registry, and push of it into a fresh one, through
// the docker CLI.
int iterations = Option("--iterations", 3);
int megabytes = Option("--megabytes", 500);
int blobCount = Option("--blobs", 1000);
const int Layers = 5;
const int BlobSize = 4096;
const int Parallel = 8;

string work = Directory.CreateTempSubdirectory("berth-bench-registry-").FullName;
try
{
    Console.WriteLine($"bench/registry: {iterations} iterations, interleaved; a {megabytes} MB image in {Layers} layers (gzip without compression); {blobCount} blobs of {BlobSize / 1024} KB, {Parallel} requests at a time");
    string layout = TestImage.Write(Path.Combine(work, "layout"), megabytes * 1_000_000L, Layers);
    var small = Enumerable.Range(0, blobCount).Select(_ => RandomNumberGenerator.GetBytes(BlobSize)).ToArray();

    var push = new Samples($"push of the {megabytes} MB image (skopeo copy oci: -> docker://), ms");
    var pull = new Samples("pull of the image (skopeo copy docker:// -> dir:), ms");
    var smallPush = new Samples($"push of {blobCount} blobs of 4 KB (POST + PUT each), ms");
    var smallPull = new Samples($"pull of the {blobCount} blobs (GET each), ms");
    var memory = new Samples("server peak resident memory over the iteration (VmHWM), MiB", "MiB");
    for (int i = 0; i < iterations; i++)
    {
        foreach (string who in new[] { "berth", "distribution" })
        {
            IDisposable server;
            string host;
            int pid;
            if (who == "berth")
            {
                var berth = new BerthRegistry();
                (server, host, pid) = (berth, berth.Address!, berth.Pid);
            }
            else
            {
                var distribution = new DistributionRegistry();
                (server, host, pid) = (distribution, distribution.Host, distribution.Pid);
            }
            using (server)
            {
                string target = $"docker://{host}/bench/big:{i}";
                push.Time(who, () => Skopeo("copy", "--dest-tls-verify=false", $"oci:{layout}:{TestImage.Tag}", target));
                string pulled = Path.Combine(work, "pulled");
                pull.Time(who, () => Skopeo("copy", "--src-tls-verify=false", target, $"dir:{pulled}"));
                Directory.Delete(pulled, recursive: true);
                using var client = new HttpClient { BaseAddress = new Uri($"http://{host}") };
                var digests = new string[small.Length];
                smallPush.Time(who, () => ForAll(small.Length, async n => digests[n] = await PushBlob(client, small[n])));
                smallPull.Time(who, () => ForAll(small.Length, async n =>
                {
                    byte[] got = await client.GetByteArrayAsync($"/v2/bench/small/blobs/{digests[n]}");
                    if (got.Length != BlobSize)
                        throw new InvalidOperationException($"blob {digests[n]}: {got.Length} bytes");
                }));
                memory.Add(who, PeakResidentMiB(pid));
            }
        }
    }

    // The same image from one berth registry, pulled by berthd and by dockerd (download, verify, extract), then pushed
    // by each into a registry of its own, fresh each time (every layer uploaded: nothing to skip or mount).
    var clients = new Samples($"docker pull of the {megabytes} MB image from berth registry serve, by the daemon (extraction included), ms");
    var clientPushes = new Samples("docker push of the pulled image into a fresh berth registry serve, by the daemon, ms");
    using (var registry = new BerthRegistry())
    using (var berthd = new BerthDaemon())
    using (var dockerd = new DockerDaemon())
    {
        string image = $"{registry.Address}/bench/big:latest";
        Skopeo("copy", "--dest-tls-verify=false", $"oci:{layout}:{TestImage.Tag}", $"docker://{image}");
        var daemons = new (string Name, Func<string[], CommandResult> Cli)[] { ("berthd", a => berthd.Cli(a)), ("dockerd", a => dockerd.Cli(a)) };
        for (int i = 0; i < iterations; i++)
        {
            foreach (var (name, cli) in daemons)
            {
                clients.Time(name, () => cli(["pull", "-q", image]).EnsureSuccess($"{name} pull"));
                using (var target = new BerthRegistry())
                {
                    string pushed = $"{target.Address}/bench/pushed:latest";
                    cli(["tag", image, pushed]).EnsureSuccess($"{name} tag");
                    clientPushes.Time(name, () => cli(["push", "-q", pushed]).EnsureSuccess($"{name} push"));
                    cli(["rmi", pushed]).EnsureSuccess($"{name} rmi of the pushed name");
                }
                cli(["rmi", image]).EnsureSuccess($"{name} rmi");
                cli(["image", "prune", "-f"]);
            }
        }
    }

    foreach (var samples in new[] { push, pull, smallPush, smallPull, memory, clients, clientPushes })
        samples.Print();
}
finally
{
    Directory.Delete(work, recursive: true);
}

static void Skopeo(params string[] args) =>
    DistributionRegistry.Skopeo(args).EnsureSuccess("skopeo " + string.Join(' ', args));

static void ForAll(int count, Func<int, Task> body) =>
    System.Threading.Tasks.Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = Parallel }, async (n, _) => await body(n)).GetAwaiter().GetResult();

static async Task<string> PushBlob(HttpClient client, byte[] content)
{
    string digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));
    using var start = await client.PostAsync("/v2/bench/small/blobs/uploads/", null);
    if (start.StatusCode != HttpStatusCode.Accepted)
        throw new InvalidOperationException($"POST upload: {(int)start.StatusCode}");
    var location = start.Headers.Location!;
    string separator = location.ToString().Contains('?') ? "&" : "?";
    using var put = await client.PutAsync(new Uri(location + separator + "digest=" + digest, UriKind.RelativeOrAbsolute), new ByteArrayContent(content));
    if (put.StatusCode != HttpStatusCode.Created)
        throw new InvalidOperationException($"PUT upload: {(int)put.StatusCode}");
    return digest;
}

static double PeakResidentMiB(int pid)
{
    foreach (string line in File.ReadLines($"/proc/{pid}/status"))
    {
        if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }
    throw new InvalidOperationException($"no VmHWM for {pid}");
}

int Option(string name, int fallback)
{
    int at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
}
