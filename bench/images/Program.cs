using System.Diagnostics;
using System.Globalization;
using Berth.Bench.Images;
using Berth.Images.Archive;
using Berth.Images.Layers;
using Berth.Images.References;
using Berth.Images.Snapshots;
using Berth.Images.Store;
using Berth.TestSupport;

// Each case runs Berth and its peers alternately, `iterations` times; medians and ratios are printed.
int iterations = args.Length == 2 && args[0] == "--iterations" ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
string work = Path.Combine("/var/tmp", TestIds.New("bench-images"));
Directory.CreateDirectory(work);
using var docker = new DockerDaemon();
try
{
    Console.WriteLine($"bench/images: {iterations} iterations each, interleaved; data in {work} (one file system for all)");
    var fixtures = Fixtures.Make(work, iterations);
    var results = new List<Result>();
    using var store = ImageStore.Open(Path.Combine(work, "berth"));

    // Each iteration applies its own variant of the archive, nothing the apply cases write is deleted before both have
    // run, and the contenders take turns going first. On ext4
    // without a journal (these machines' disks) the kernel avoids reusing an inode deleted in the last minutes by scanning
    // past every such inode at each allocation (ialloc.c, recently_deleted), and new directories go to the groups a
    // deletion emptied: whoever ran right after a 51,200-file deletion paid a quadratic scan (measured: 4 s became 30 s).
    // Large deletions by anything else on the machine in the minutes before still distort the small-files case.
    var targets = new List<string>();
    var berthImages = new List<Image>();
    var dockerImages = new List<string>();
    try
    {
        foreach (var (name, archives) in new[] { ("apply 200 MB of small files", fixtures.SmallFiles), ("apply one 200 MB file", fixtures.LargeFile) })
        {
            var result = new Result(name);
            string tar = "";
            (string Who, Action Run)[] contenders =
            [
                ("berth apply", () => { using var input = File.OpenRead(tar); LayerApplier.Apply(input, NewTarget(work, targets)); }),
                ("GNU tar -x", () => Fixtures.Run("tar", "-xf", tar, "-C", NewTarget(work, targets))),
                ("berth import+unpack", () =>
                {
                    using var input = File.OpenRead(tar);
                    var imported = store.Import(input);
                    berthImages.Add(imported);
                    store.Unpack(imported);
                }),
                ("docker import", () => dockerImages.Add(docker.Cli(["import", tar], TimeSpan.FromMinutes(5)).EnsureSuccess("docker import").Stdout.Trim())),
            ];
            for (int i = 0; i < iterations; i++)
            {
                tar = archives[i];
                for (int k = 0; k < contenders.Length; k++)
                {
                    var (who, run) = contenders[(i + k) % contenders.Length];
                    result.Time(who, run);
                }
            }
            results.Add(result);
        }
    }
    finally
    {
        targets.ForEach(Fixtures.Remove);
        berthImages.ForEach(image => store.Remove(image.Id.ToString()));
        dockerImages.ForEach(id => docker.Cli("rmi", id).EnsureSuccess("docker rmi"));
    }

    // The same small-file archive into tmpfs: the CPU cost per entry, without the disk's noise.
    var memory = new Result("apply 200 MB of small files into tmpfs (no disk)");
    for (int i = 0; i < iterations; i++)
    {
        string target = Path.Combine("/dev/shm", TestIds.New("bench-apply"));
        Directory.CreateDirectory(target);
        try
        {
            memory.Time("berth apply", () => { using var input = File.OpenRead(fixtures.SmallFiles[i]); LayerApplier.Apply(input, target); });
            Fixtures.Remove(target);
            Directory.CreateDirectory(target);
            memory.Time("GNU tar -x", () => Fixtures.Run("tar", "-xf", fixtures.SmallFiles[i], "-C", target));
        }
        finally
        {
            Fixtures.Remove(target);
        }
    }
    results.Add(memory);

    var baseImage = ImportBase(store, docker, fixtures);
    var commit = new Result("commit a 50 MB change");
    for (int i = 0; i < iterations; i++)
    {
        string key = $"bench-commit-{i}";
        store.PrepareContainer(baseImage, key);
        File.Copy(fixtures.Payload50, Path.Combine(store.Snapshotter.LayerDirectory(key).Path, "payload"));
        Image? committed = null;
        commit.Time("berth commit", () => committed = store.Commit(key, baseImage));
        store.Snapshotter.Remove(key);
        store.Remove(committed!.Id.ToString());

        string container = $"bench-commit-{i}";
        docker.Cli("create", "--name", container, "--network", "none", "bench/base:1", "true").EnsureSuccess("docker create");
        docker.Cli("cp", fixtures.Payload50, $"{container}:/payload").EnsureSuccess("docker cp");
        string? id = null;
        commit.Time("docker commit", () => id = docker.Cli("commit", container).EnsureSuccess("docker commit").Stdout.Trim());
        docker.Cli("rm", container).EnsureSuccess("docker rm");
        docker.Cli("rmi", id!).EnsureSuccess("docker rmi");
    }
    results.Add(commit);

    // A 3-layer image in both: the base and two 30 MB layers.
    var three = baseImage;
    foreach (int layer in new[] { 1, 2 })
    {
        string key = $"bench-layer-{layer}";
        store.PrepareContainer(three, key);
        File.Copy(fixtures.Payload30, Path.Combine(store.Snapshotter.LayerDirectory(key).Path, $"layer{layer}"));
        three = store.Commit(key, three, new CommitOptions { Names = [Reference.ParseNormalized($"bench/three:{layer}")] });
        store.Snapshotter.Remove(key);
        string container = $"bench-layer-{layer}";
        docker.Cli("create", "--name", container, "--network", "none", layer == 1 ? "bench/base:1" : "bench/three:1", "true").EnsureSuccess("docker create");
        docker.Cli("cp", fixtures.Payload30, $"{container}:/layer{layer}").EnsureSuccess("docker cp");
        docker.Cli("commit", container, $"bench/three:{layer}").EnsureSuccess("docker commit");
        docker.Cli("rm", container).EnsureSuccess("docker rm");
    }
    var saveLoad = new Result("save + load a 3-layer image");
    for (int i = 0; i < iterations; i++)
    {
        string ours = Path.Combine(work, "berth-save.tar"), theirs = Path.Combine(work, "docker-save.tar");
        saveLoad.Time("berth save", () => { using var output = File.Create(ours); store.Save(["bench/three:2"], output); });
        store.Remove("bench/three:2", new RemoveOptions { NoPrune = true });
        saveLoad.Time("berth load", () => { using var input = File.OpenRead(ours); store.Load(input); });
        saveLoad.Time("docker save", () => docker.Cli("save", "-o", theirs, "bench/three:2").EnsureSuccess("docker save"));
        docker.Cli("rmi", "--no-prune", "bench/three:2").EnsureSuccess("docker rmi");
        saveLoad.Time("docker load", () => docker.Cli("load", "-i", theirs).EnsureSuccess("docker load"));
        File.Delete(ours);
        File.Delete(theirs);
    }
    results.Add(saveLoad);

    Console.WriteLine();
    foreach (var result in results)
        result.Print();
}
finally
{
    Fixtures.Remove(work);
}

static string NewTarget(string work, List<string> targets)
{
    string target = Path.Combine(work, $"apply-{targets.Count}");
    Directory.CreateDirectory(target);
    targets.Add(target);
    return target;
}

static Image ImportBase(ImageStore store, DockerDaemon docker, Fixtures fixtures)
{
    using var input = File.OpenRead(fixtures.Busybox);
    var image = store.Import(input, new ImportOptions { Names = [Reference.ParseNormalized("bench/base:1")] });
    docker.Cli("import", fixtures.Busybox, "bench/base:1").EnsureSuccess("docker import");
    return image;
}
