using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Berth.TestSupport;

namespace Berth.Compat;

/// <summary>
/// <c>docker build</c> (the docker CLI v28, legacy builder: DOCKER_BUILDKIT=0) through berthd, with Docker as the
/// oracle: the same Dockerfile and context built by a real dockerd give the same file system (the exported trees)
/// and the same config. Then the cache (a second build is all cache hits; one changed file rebuilds from its COPY
/// on), reproducible digests with SOURCE_DATE_EPOCH, and bad input that leaves nothing behind.
/// </summary>
public sealed partial class BuildTests(BerthdFixture berthd, DockerDaemon dockerd) : IClassFixture<BerthdFixture>, IClassFixture<DockerDaemon>, IDisposable
{
    readonly BerthDaemon _berthd = berthd.Daemon;
    readonly string _root = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), TestIds.New("build"))).FullName;
    readonly List<string> _onBerthd = [], _onDockerd = [];

    /// <summary>Every instruction the legacy builder of Docker 20.10 knows, over two stages.</summary>
    const string EveryInstruction = """
        ARG BASE=berth-test-busybox:latest
        FROM ${BASE} AS build
        ARG GREETING=hello
        WORKDIR /src
        COPY app/ ./
        RUN echo "$GREETING" > /src/greeting && cat main.txt >> /src/greeting
        ADD files.tar.gz /opt/
        RUN ls /opt/packed > /src/listing

        FROM ${BASE}
        LABEL org.example.team="builders" version=1
        MAINTAINER someone@example.com
        ENV APP_HOME=/app \
            MODE=test
        WORKDIR $APP_HOME
        COPY --from=build /src/greeting /src/listing ./
        COPY --from=build /opt/packed/ /opt/packed/
        COPY --chown=1000:1000 app/main.txt owned.txt
        ADD app/sub /app/sub
        EXPOSE 8080 9000-9001/udp
        VOLUME ["/data"]
        RUN mkdir -p /var/made && echo "$MODE" > /var/made/mode && chmod 0640 /var/made/mode
        USER 1000:1000
        STOPSIGNAL SIGINT
        HEALTHCHECK --interval=30s --timeout=5s --retries=2 CMD ["true"]
        SHELL ["/bin/sh", "-ec"]
        RUN id -u > /tmp/uid
        ONBUILD RUN echo triggered
        ENTRYPOINT ["/bin/sh", "-c"]
        CMD ["cat /app/greeting"]
        """;

    public void Dispose()
    {
        foreach (string image in _onBerthd)
            _berthd.Cli("rmi", "-f", image);
        foreach (string image in _onDockerd)
            dockerd.Cli("rmi", "-f", image);
        Directory.Delete(_root, recursive: true);
    }

    /// <summary>A context: app/main.txt, app/sub/deep.txt, files.tar.gz (packed/a.txt, packed/b.txt), a .dockerignore, the Dockerfile.</summary>
    string Context(string dockerfile, string name = "ctx")
    {
        string dir = Path.Combine(_root, name);
        Directory.CreateDirectory(Path.Combine(dir, "app", "sub"));
        File.WriteAllText(Path.Combine(dir, "app", "main.txt"), "main\n");
        File.WriteAllText(Path.Combine(dir, "app", "sub", "deep.txt"), "deep\n");
        File.WriteAllText(Path.Combine(dir, "app", "ignored.log"), "never sent\n");
        File.WriteAllText(Path.Combine(dir, ".dockerignore"), "**/*.log\n");
        using (var file = File.Create(Path.Combine(dir, "files.tar.gz")))
        using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "packed/") { Mode = (UnixFileMode)0x1ED });
            foreach (string n in new[] { "a.txt", "b.txt" })
            {
                var entry = new PaxTarEntry(TarEntryType.RegularFile, "packed/" + n) { Mode = (UnixFileMode)0x1A4, DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes("packed " + n + "\n")) };
                tar.WriteEntry(entry);
            }
        }
        File.WriteAllText(Path.Combine(dir, "Dockerfile"), dockerfile);
        return dir;
    }

    CommandResult Build(BerthDaemon d, string context, params string[] args) => d.Cli(["build", .. args, context], TimeSpan.FromMinutes(3));

    [Fact]
    public void Every_instruction_gives_dockers_file_system_and_config()
    {
        string context = Context(EveryInstruction);
        string tag = TestIds.New("every") + ":v1";
        _onBerthd.Add(tag);
        _onDockerd.Add(tag);
        var ours = Build(_berthd, context, "-t", tag);
        Assert.True(ours.ExitCode == 0, ours.Stdout + ours.Stderr);
        var theirs = dockerd.Cli(["build", "-t", tag, context], TimeSpan.FromMinutes(3));
        Assert.True(theirs.ExitCode == 0, theirs.Stdout + theirs.Stderr);

        Assert.Contains($"Successfully tagged {tag}", ours.Stdout);
        Assert.Matches(StepLine(), ours.Stdout);
        Assert.DoesNotContain("ignored.log", Tree(_berthd.Cli, tag).Keys);

        var ourConfig = Config(_berthd.Cli("image", "inspect", "-f", "{{json .Config}}", tag).EnsureSuccess("inspect").Stdout);
        var theirConfig = Config(dockerd.Cli("image", "inspect", "-f", "{{json .Config}}", tag).EnsureSuccess("inspect").Stdout);
        foreach (string field in new[] { "Env", "Cmd", "Entrypoint", "WorkingDir", "User", "ExposedPorts", "Volumes", "Labels", "Healthcheck", "StopSignal", "Shell", "OnBuild" })
            Assert.True(theirConfig.GetValueOrDefault(field) == ourConfig.GetValueOrDefault(field), $"{field}: docker {theirConfig.GetValueOrDefault(field)} berth {ourConfig.GetValueOrDefault(field)}");
        Assert.Equal(
            dockerd.Cli("image", "inspect", "-f", "{{.Author}}", tag).Stdout,
            _berthd.Cli("image", "inspect", "-f", "{{.Author}}", tag).Stdout);

        var ourTree = Tree(_berthd.Cli, tag);
        var theirTree = Tree(dockerd.Cli, tag);
        Assert.Equal(theirTree.Keys.Order(StringComparer.Ordinal), ourTree.Keys.Order(StringComparer.Ordinal));
        foreach (var (path, entry) in theirTree)
            Assert.True(entry == ourTree[path], $"{path}: docker {entry} berth {ourTree[path]}");

        Assert.Equal("hello\nmain\n", _berthd.Cli("run", "--rm", "--network", "none", "--entrypoint", "cat", tag, "/app/greeting").EnsureSuccess("run").Stdout);
    }

    [Fact]
    public void A_second_build_is_all_cache_and_one_changed_file_rebuilds_from_its_copy()
    {
        string context = Context(EveryInstruction, "cache");
        string tag = TestIds.New("cache") + ":v1";
        _onBerthd.Add(tag);
        var first = Build(_berthd, context, "-t", tag);
        Assert.True(first.ExitCode == 0, first.Stdout + first.Stderr);
        string id = _berthd.Inspect(tag, "{{.Id}}");

        var second = Build(_berthd, context, "-t", tag);
        Assert.True(second.ExitCode == 0, second.Stdout + second.Stderr);
        int steps = StepLine().Matches(second.Stdout).Count;
        int froms = Regex.Matches(second.Stdout, @"^Step \d+/\d+ : FROM", RegexOptions.Multiline).Count;
        Assert.Equal(steps - froms, Regex.Matches(second.Stdout, "Using cache").Count);
        Assert.DoesNotContain("Running in", second.Stdout);
        Assert.Equal(id, _berthd.Inspect(tag, "{{.Id}}"));

        File.WriteAllText(Path.Combine(context, "app", "sub", "deep.txt"), "changed\n");
        var third = Build(_berthd, context, "-t", tag);
        Assert.True(third.ExitCode == 0, third.Stdout + third.Stderr);
        // app/sub is read by the first stage's `COPY app/ ./` and the second's `ADD app/sub`: the steps before each
        // are cache hits, those from each on (in its stage) are not.
        var stepsRun = Regex.Matches(third.Stdout, @"^Step \d+/\d+ : (.*)\n(?! ---> Using cache)", RegexOptions.Multiline).Select(m => m.Groups[1].Value).Where(s => !s.StartsWith("FROM", StringComparison.Ordinal)).ToList();
        Assert.Equal("COPY app/ ./", stepsRun[0]);
        Assert.DoesNotContain("WORKDIR /src", stepsRun);
        Assert.DoesNotContain("LABEL org.example.team=\"builders\" version=1", stepsRun);
        Assert.Contains("ADD app/sub /app/sub", stepsRun);
        Assert.NotEqual(id, _berthd.Inspect(tag, "{{.Id}}"));
        Assert.Equal("changed\n", _berthd.Cli("run", "--rm", "--network", "none", "--entrypoint", "cat", tag, "/app/sub/deep.txt").EnsureSuccess("run").Stdout);
    }

    [Fact]
    public void Source_date_epoch_gives_the_same_digest_twice()
    {
        // Files the RUN touches get the clock's time, which SOURCE_DATE_EPOCH clamps.
        string context = Context("""
            FROM berth-test-busybox:latest
            COPY app/ /app/
            RUN touch /app/touched && mkdir /app/made
            ENV BUILT=yes
            """, "epoch");
        string first = TestIds.New("epoch") + ":a", second = TestIds.New("epoch") + ":b";
        _onBerthd.Add(first);
        _onBerthd.Add(second);
        Build(_berthd, context, "--no-cache", "--build-arg", "SOURCE_DATE_EPOCH=1700000000", "-t", first).EnsureSuccess("first build");
        Thread.Sleep(1100); // a second later, so that anything stamped with the clock would differ
        Build(_berthd, context, "--no-cache", "--build-arg", "SOURCE_DATE_EPOCH=1700000000", "-t", second).EnsureSuccess("second build");
        Assert.Equal(_berthd.Inspect(first, "{{.Id}}"), _berthd.Inspect(second, "{{.Id}}"));
        Assert.Equal("2023-11-14T22:13:20Z", _berthd.Inspect(second, "{{.Created}}"));
    }

    [Fact]
    public void A_failing_run_exits_with_its_code_and_leaves_nothing()
    {
        string context = Context("FROM berth-test-busybox:latest\nRUN echo before\nRUN echo failing; exit 3\nCMD [\"true\"]\n", "fail");
        string tag = TestIds.New("fail") + ":v1";
        var before = Snapshot();
        var result = Build(_berthd, context, "-t", tag);
        Assert.Equal(3, result.ExitCode);
        Assert.Contains("failing", result.Stdout);
        Assert.Contains("The command '/bin/sh -c echo failing; exit 3' returned a non-zero code: 3", result.Stderr);
        Assert.NotEqual(0, _berthd.Cli("image", "inspect", tag).ExitCode);
        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public void Bad_dockerfiles_get_an_error_with_the_line_and_build_nothing()
    {
        var before = Snapshot();
        string unknown = Context("FROM berth-test-busybox:latest\nRUN true\nFROB x\n", "unknown");
        var result = Build(_berthd, unknown, "-t", TestIds.New("bad"));
        Assert.NotEqual(0, result.ExitCode);
        var theirs = dockerd.Cli(["build", "-t", TestIds.New("bad"), unknown], TimeSpan.FromMinutes(1));
        Assert.Equal(LastLine(theirs.Stderr), LastLine(result.Stderr));

        string missing = Context("FROM berth-test-busybox:latest\nCOPY nothing-here /x\n", "missing");
        result = Build(_berthd, missing, "-t", TestIds.New("bad"));
        Assert.NotEqual(0, result.ExitCode);
        Assert.True(result.Stderr.Contains("nothing-here", StringComparison.Ordinal), result.Stdout + result.Stderr);
        Assert.Equal(before, Snapshot());
    }

    /// <summary>What Docker's legacy builder lacks and buildkit's syntax has: here-documents, --exclude, --parents, RUN mounts and networks.</summary>
    const string BuildkitSyntax = """
        # syntax=docker/dockerfile:1
        FROM berth-test-busybox:latest AS tools
        RUN mkdir /kit && echo tool > /kit/tool.txt

        FROM berth-test-busybox:latest AS base
        ARG VERSION=1.0
        RUN <<EOF
        echo "version $VERSION" > /version
        echo second >> /version
        EOF
        COPY <<EOF /etc/motd
        hello from $VERSION
        EOF
        COPY --parents app/./sub/deep.txt /parents/
        COPY --exclude=*.txt app/ /excluded/
        RUN --mount=type=cache,target=/cache echo run >> /cache/runs && wc -l < /cache/runs > /cache-count
        RUN --network=none ls /sys/class/net > /links
        RUN --mount=type=bind,source=app,target=/ctx cat /ctx/main.txt > /from-bind
        RUN --mount=type=tmpfs,target=/scratch touch /scratch/x && test ! -e /x && test -d /scratch
        RUN --mount=type=bind,from=tools,source=/kit/tool.txt,target=/mnt/tool.txt cat /mnt/tool.txt > /from-stage
        RUN --mount=type=bind,from=tools,source=kit,target=/kit,rw echo scribbled > /kit/tool.txt && cat /kit/tool.txt > /rw-stage
        COPY --from=tools /kit/tool.txt /copied-tool.txt

        FROM base AS unused
        RUN exit 1

        FROM base
        CMD ["cat", "/version"]
        """;

    [Fact]
    public void Buildkit_syntax_works_and_unused_stages_are_skipped()
    {
        string context = Context(BuildkitSyntax, "buildkit");
        File.WriteAllText(Path.Combine(context, "app", "note.md"), "kept\n");
        string tag = TestIds.New("bk") + ":v1", second = TestIds.New("bk") + ":v2";
        _onBerthd.Add(tag);
        _onBerthd.Add(second);
        string iid = Path.Combine(_root, "iid");
        var result = Build(_berthd, context, "-t", tag, "-t", second, "--iidfile", iid, "--build-arg", "VERSION=2.5", "--label", "built.by=test");
        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        Assert.DoesNotContain("exit 1", result.Stdout);
        string id = _berthd.Inspect(tag, "{{.Id}}");
        Assert.Equal(id, File.ReadAllText(iid));
        Assert.Equal(id, _berthd.Inspect(second, "{{.Id}}"));
        Assert.Equal("test", _berthd.Inspect(tag, "{{index .Config.Labels \"built.by\"}}"));

        string Cat(string path) => _berthd.Cli("run", "--rm", "--network", "none", tag, "cat", path).EnsureSuccess("cat " + path).Stdout;
        Assert.Equal("version 2.5\nsecond\n", Cat("/version"));
        Assert.Equal("hello from 2.5\n", Cat("/etc/motd"));
        Assert.Equal("deep\n", Cat("/parents/sub/deep.txt"));
        Assert.Equal("kept\n", Cat("/excluded/note.md"));
        Assert.NotEqual(0, _berthd.Cli("run", "--rm", "--network", "none", tag, "test", "-e", "/excluded/main.txt").ExitCode);
        Assert.Equal("1\n", Cat("/cache-count"));
        Assert.Equal("lo\n", Cat("/links"));
        Assert.Equal("main\n", Cat("/from-bind"));
        Assert.Equal("tool\n", Cat("/from-stage")); // a bind from a stage, which the plan builds first
        Assert.Equal("scribbled\n", Cat("/rw-stage"));
        Assert.Equal("tool\n", Cat("/copied-tool.txt")); // the rw bind wrote a copy, not the stage

        // The cache mount outlives the build: a build that runs that step again sees the first one's file.
        var again = Build(_berthd, context, "--no-cache", "-q", "-t", tag);
        Assert.True(again.ExitCode == 0, again.Stdout + again.Stderr);
        Assert.Matches("^sha256:[0-9a-f]{64}$", again.Stdout.Trim());
        Assert.Equal("2\n", Cat("/cache-count"));
    }

    [Fact]
    public void A_target_stops_at_its_stage()
    {
        string context = Context("FROM berth-test-busybox:latest AS first\nRUN echo one > /one\nFROM first AS second\nRUN echo two > /two\nFROM second\nRUN exit 7\n", "target");
        string tag = TestIds.New("target") + ":v1";
        _onBerthd.Add(tag);
        var result = Build(_berthd, context, "--target", "second", "-t", tag);
        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        Assert.Equal("one\ntwo\n", _berthd.Cli("run", "--rm", "--network", "none", tag, "cat", "/one", "/two").EnsureSuccess("cat").Stdout);
        var missing = Build(_berthd, context, "--target", "nope");
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("failed to reach build target nope in Dockerfile", missing.Stderr);
    }

    [Fact]
    public void Independent_stages_build_at_the_same_time_and_print_in_order()
    {
        // Each stage waits for a file the other makes in a shared cache mount: run one after the other, the first
        // would give up after 30 s and fail the build; together, both go on at once.
        const string Wait = "i=0; while [ ! -e /sync/{0}-$TOKEN ]; do i=$((i+1)); [ $i -lt 300 ] || exit 9; sleep 0.1; done";
        string dockerfile = $"""
            FROM berth-test-busybox:latest AS left
            ARG TOKEN
            RUN --mount=type=cache,id=sync,target=/sync touch /sync/left-$TOKEN && {string.Format(Wait, "right")} && echo left done > /left

            FROM berth-test-busybox:latest AS right
            ARG TOKEN
            RUN --mount=type=cache,id=sync,target=/sync touch /sync/right-$TOKEN && {string.Format(Wait, "left")} && echo right done > /right

            FROM berth-test-busybox:latest
            COPY --from=left /left /
            COPY --from=right /right /
            """;
        string context = Context(dockerfile, "parallel");
        string tag = TestIds.New("parallel") + ":v1";
        _onBerthd.Add(tag);
        var result = Build(_berthd, context, "--no-cache", "--build-arg", "TOKEN=" + TestIds.New("t"), "-t", tag);
        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        Assert.Equal("left done\nright done\n", _berthd.Cli("run", "--rm", "--network", "none", tag, "cat", "/left", "/right").EnsureSuccess("cat").Stdout);
        var numbers = Regex.Matches(result.Stdout, @"^Step (\d+)/9 : (\w+)", RegexOptions.Multiline).Select(m => (int.Parse(m.Groups[1].Value), m.Groups[2].Value)).ToList();
        Assert.Equal([(1, "FROM"), (2, "ARG"), (3, "RUN"), (4, "FROM"), (5, "ARG"), (6, "RUN"), (7, "FROM"), (8, "COPY"), (9, "COPY")], numbers);
        Assert.True(result.Stdout.IndexOf("AS right", StringComparison.Ordinal) > result.Stdout.IndexOf("Removing intermediate container", StringComparison.Ordinal), result.Stdout);
    }

    [Fact]
    public void A_dockerfile_on_stdin_builds_without_a_context()
    {
        string tag = TestIds.New("stdin") + ":v1";
        _onBerthd.Add(tag);
        var result = _berthd.Cli(["build", "-t", tag, "-"], TimeSpan.FromMinutes(2), stdin: "FROM berth-test-busybox:latest\nRUN echo from-stdin > /marker\n");
        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        Assert.Equal("from-stdin\n", _berthd.Cli("run", "--rm", "--network", "none", tag, "cat", "/marker").EnsureSuccess("cat").Stdout);
    }

    [Fact]
    public void Cache_from_an_image_stands_in_for_a_pruned_cache()
    {
        string context = Context("FROM berth-test-busybox:latest\nCOPY app/ /app/\nRUN echo built > /marker\nENV CACHED=yes\n", "cache-from");
        string first = TestIds.New("cf") + ":a", second = TestIds.New("cf") + ":b", third = TestIds.New("cf") + ":c";
        _onBerthd.AddRange([first, second, third]);
        Build(_berthd, context, "-t", first).EnsureSuccess("first build");
        _berthd.Cli("builder", "prune", "-f").EnsureSuccess("builder prune");

        var from = Build(_berthd, context, "--cache-from", first, "-t", second);
        Assert.True(from.ExitCode == 0, from.Stdout + from.Stderr);
        Assert.Equal(3, Regex.Matches(from.Stdout, "Using cache").Count);
        Assert.Equal(_berthd.Inspect(first, "{{.Id}}"), _berthd.Inspect(second, "{{.Id}}"));

        _berthd.Cli("builder", "prune", "-f").EnsureSuccess("builder prune");
        var without = Build(_berthd, context, "-t", third);
        Assert.True(without.ExitCode == 0, without.Stdout + without.Stderr);
        Assert.DoesNotContain("Using cache", without.Stdout);
    }

    [Fact]
    public void Cache_from_a_loaded_image_without_parents_stands_in_by_its_history()
    {
        string context = Context("FROM berth-test-busybox:latest\nCOPY app/ /app/\nRUN echo built > /marker\nENV CACHED=yes\n", "cache-from-loaded");
        string built = TestIds.New("cfl") + ":a", rebuilt = TestIds.New("cfl") + ":b";
        _onBerthd.AddRange([built, rebuilt]);
        Build(_berthd, context, "-t", built).EnsureSuccess("first build");
        string id = _berthd.Inspect(built, "{{.Id}}");
        string saved = Path.Combine(_root, "saved.tar");
        _berthd.Cli("save", "-o", saved, built).EnsureSuccess("save");
        // The image goes with its intermediate images and the build cache; it comes back alone, as a pull brings it.
        _berthd.Cli("rmi", built).EnsureSuccess("rmi");
        _berthd.Cli("builder", "prune", "-f").EnsureSuccess("builder prune");
        _berthd.Cli("load", "-i", saved).EnsureSuccess("load");
        Assert.Equal("", _berthd.Inspect(built, "{{.Parent}}"));

        var from = Build(_berthd, context, "--cache-from", built, "-t", rebuilt);
        Assert.True(from.ExitCode == 0, from.Stdout + from.Stderr);
        Assert.Equal(3, Regex.Matches(from.Stdout, "Using cache").Count);
        Assert.DoesNotContain("Running in", from.Stdout);
        Assert.Equal(id, _berthd.Inspect(rebuilt, "{{.Id}}"));
        Assert.Equal("built\n", _berthd.Cli("run", "--rm", "--network", "none", rebuilt, "cat", "/marker").EnsureSuccess("cat").Stdout);
    }

    [Fact]
    public void A_FROM_image_of_a_private_registry_is_pulled_with_the_clients_credentials()
    {
        using var registry = new DistributionRegistry("berth", "s3cret");
        string image = $"{registry.Host}/private/busybox:v1";
        _berthd.Cli(["login", "-u", "berth", "--password-stdin", registry.Host], stdin: "s3cret\n").EnsureSuccess("docker login");
        try
        {
            _berthd.Cli("tag", BerthDaemon.Image, image).EnsureSuccess("tag");
            _berthd.Cli("push", image).EnsureSuccess("push");
            _berthd.Cli("rmi", image).EnsureSuccess("rmi");
            string context = Context($"FROM {image}\nLABEL built-from=private\n", "private-from");
            string tag = TestIds.New("private") + ":v1";
            _onBerthd.Add(tag);
            // The docker CLI sends its config.json's credentials with the build (X-Registry-Config); the pull uses them.
            var built = Build(_berthd, context, "-t", tag);
            Assert.True(built.ExitCode == 0, built.Stdout + built.Stderr);
            Assert.Equal("private", _berthd.Inspect(tag, "{{index .Config.Labels \"built-from\"}}"));

            _berthd.Cli("rmi", image).EnsureSuccess("rmi");
            _berthd.Cli("logout", registry.Host).EnsureSuccess("logout");
            var refused = Build(_berthd, context, "--no-cache", "-t", tag);
            Assert.NotEqual(0, refused.ExitCode);
            Assert.True((refused.Stdout + refused.Stderr).Contains("may require 'docker login'", StringComparison.Ordinal), refused.Stdout + refused.Stderr);
        }
        finally
        {
            _berthd.Cli("logout", registry.Host);
            _berthd.Cli("rmi", image);
        }
    }

    static string LastLine(string text) => text.Trim().Split('\n')[^1].Trim();

    /// <summary>What a build must not leave: containers, mounts of the daemon's data root, snapshots being built.</summary>
    (string Containers, int Mounts, int Images) Snapshot()
    {
        string containers = _berthd.Cli("ps", "-aq").EnsureSuccess("ps").Stdout;
        int mounts = File.ReadAllLines("/proc/self/mountinfo").Count(l => l.Contains(_berthd.DataRoot, StringComparison.Ordinal));
        // Tagged images: the steps that succeeded before a failure stay as untagged cache, as with Docker.
        int images = _berthd.Cli("images", "-q", "--filter", "dangling=false").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
        return (containers, mounts, images);
    }

    [GeneratedRegex(@"^Step \d+/\d+ : ", RegexOptions.Multiline)]
    private static partial Regex StepLine();

    static Dictionary<string, string> Config(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetRawText());
    }

    /// <summary>An image's file system as <c>docker export</c> of a container of it gives it: path to type, mode, owner, size, content or link.</summary>
    Dictionary<string, string> Tree(Func<string[], CommandResult> cli, string image)
    {
        string container = cli(["create", image]).EnsureSuccess("docker create").Stdout.Trim();
        string tar = Path.Combine(_root, container + ".tar");
        try
        {
            cli(["export", "-o", tar, container]).EnsureSuccess("docker export");
            var tree = new Dictionary<string, string>(StringComparer.Ordinal);
            using var reader = new TarReader(File.OpenRead(tar));
            while (reader.GetNextEntry() is { } entry)
            {
                string name = entry.Name.TrimEnd('/');
                // What each engine's container setup adds, not the image's.
                if (name is ".dockerenv" or "etc/hosts" or "etc/hostname" or "etc/resolv.conf" or "dev" or "proc" or "sys" or "etc/mtab" || name.StartsWith("dev/", StringComparison.Ordinal))
                    continue;
                string content = entry.DataStream is { } data ? Convert.ToHexStringLower(SHA256.HashData(data)) : "";
                tree[name] = $"{entry.EntryType} {Convert.ToString((int)entry.Mode, 8)} {entry.Uid}:{entry.Gid} {entry.Length} {entry.LinkName} {content}";
            }
            return tree;
        }
        finally
        {
            cli(["rm", "-f", container]);
        }
    }
}
