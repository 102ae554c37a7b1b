using System.Formats.Tar;
using System.IO.Compression;
using Berth.TestSupport;

namespace Berth.Compat;

/// <summary>
/// docker cp (the docker CLI v28) through berthd's archive endpoints: both ways, files and directories, stopped and
/// running containers, tar streams with "-", symlinks that try to leave the container, and Docker's errors with
/// nothing changed.
/// </summary>
public sealed class CopyTests(BerthdFixture fixture) : IClassFixture<BerthdFixture>, IDisposable
{
    readonly BerthDaemon _d = fixture.Daemon;
    const string Image = BerthDaemon.Image;

    /// <summary>This test's local files: removed at the end, whatever happened.</summary>
    readonly string _local = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), TestIds.New("cp"))).FullName;
    readonly List<string> _containers = [];

    public void Dispose()
    {
        if (_containers.Count > 0)
            _d.Cli(["rm", "-f", .. _containers]);
        Directory.Delete(_local, recursive: true);
    }

    string Local(string relative) => Path.Combine(_local, relative);

    string Created(params string[] runArgs) => Container("create", runArgs);

    string Running(params string[] runArgs) => Container("run", ["-d", .. runArgs]);

    string Container(string verb, string[] args)
    {
        string name = TestIds.New("cp");
        _containers.Add(name);
        _d.Cli([verb, "--name", name, .. args]).EnsureSuccess($"docker {verb}");
        return name;
    }

    /// <summary>A shell command line with the docker CLI pointed at berthd: for tar streams through redirections.</summary>
    CommandResult Shell(string script) => ProcessRunner.Run("/bin/sh", ["-c", script], environment: new Dictionary<string, string>
    {
        ["DOCKER_HOST"] = "unix://" + _d.Socket,
        ["DOCKER_CONFIG"] = _d.PathOf("cli"),
        ["PATH"] = "/usr/local/bin:/usr/bin:/bin",
    });

    /// <summary>
    /// What the docker CLI said of an upload, without the log lines its tar goroutine adds when the daemon refuses
    /// the upload before reading it all (a race inside docker).
    /// </summary>
    static string Errors(CommandResult upload) => CopyScenarios.WithoutLogLines(upload.Stderr);

    /// <summary>What a shell in the running container prints.</summary>
    string Exec(string container, string script) => _d.Cli("exec", container, "sh", "-c", script).EnsureSuccess("docker exec").Stdout;

    [Fact]
    public void Copies_a_file_and_a_directory_out_of_a_stopped_container()
    {
        string c = Created(Image, "true");
        _d.Cli("cp", $"{c}:/etc/passwd", Local("pw")).EnsureSuccess("docker cp of a file");
        Assert.StartsWith("root:x:0:0:", File.ReadAllText(Local("pw")));

        _d.Cli("cp", $"{c}:/etc", _local).EnsureSuccess("docker cp of a directory");
        Assert.True(File.Exists(Local("etc/passwd")) && File.Exists(Local("etc/group")));

        // "dir/." copies what the directory holds into an existing directory.
        Directory.CreateDirectory(Local("contents"));
        _d.Cli("cp", $"{c}:/etc/.", Local("contents")).EnsureSuccess("docker cp of dir/.");
        Assert.True(File.Exists(Local("contents/passwd")));
        Assert.False(Directory.Exists(Local("contents/etc")));

        // A directory to a destination that does not exist takes the destination's name.
        _d.Cli("cp", $"{c}:/etc", Local("renamed")).EnsureSuccess("docker cp to a new name");
        Assert.True(File.Exists(Local("renamed/passwd")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(Local("renamed/passwd")));
    }

    [Fact]
    public void Copies_into_a_stopped_container_which_then_sees_the_files()
    {
        Directory.CreateDirectory(Local("dir/sub"));
        File.WriteAllText(Local("dir/a.txt"), "alpha\n");
        File.WriteAllText(Local("dir/sub/b.txt"), "beta\n");
        File.CreateSymbolicLink(Local("dir/link"), "a.txt");
        File.WriteAllText(Local("single"), "single\n");
        string c = Created(Image, "sh", "-c", "cat /tmp/dir/a.txt /tmp/dir/sub/b.txt /tmp/dir/link /root/renamed; ls /opt");

        _d.Cli("cp", Local("dir"), $"{c}:/tmp/").EnsureSuccess("docker cp of a directory in");
        _d.Cli("cp", Local("single"), $"{c}:/root/renamed").EnsureSuccess("docker cp of a file to a new name");
        _d.Cli("cp", Local("dir") + "/.", $"{c}:/opt").EnsureSuccess("docker cp of dir/. in");

        var run = _d.Cli("start", "-a", c);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("alpha\nbeta\nalpha\nsingle\na.txt\nlink\nsub\n", run.Stdout);
    }

    [Fact]
    public void Copies_to_and_from_a_running_container_as_it_sees_its_file_system()
    {
        string c = Running("--tmpfs", "/scratch", Image, "sleep", "1000");
        Exec(c, "echo from-tmpfs > /scratch/inside");
        _d.Cli("cp", $"{c}:/scratch/inside", Local("inside")).EnsureSuccess("docker cp out of a tmpfs");
        Assert.Equal("from-tmpfs\n", File.ReadAllText(Local("inside")));

        File.WriteAllText(Local("up"), "uploaded\n");
        _d.Cli("cp", Local("up"), $"{c}:/scratch/").EnsureSuccess("docker cp into a tmpfs");
        _d.Cli("cp", Local("up"), $"{c}:/root/up2").EnsureSuccess("docker cp into the root file system");
        Assert.Equal("uploaded\nuploaded\n", Exec(c, "cat /scratch/up /root/up2"));
        // /etc/hostname is the engine's bind mount in a running container: copied as the container sees it.
        _d.Cli("cp", $"{c}:/etc/hostname", Local("hostname")).EnsureSuccess("docker cp of a bind-mounted file");
        Assert.Equal(_d.Inspect(c, "{{.Config.Hostname}}") + "\n", File.ReadAllText(Local("hostname")));
    }

    [Fact]
    public void Dash_streams_the_tar_out_and_extracts_a_plain_or_gzip_tar_in()
    {
        string c = Running(Image, "sleep", "1000");
        Shell($"docker cp {c}:/etc - > {Local("etc.tar")}").EnsureSuccess("docker cp to -");
        var names = Entries(File.OpenRead(Local("etc.tar"))).Select(e => e.Name).ToList();
        Assert.Equal("etc/", names[0]);
        Assert.Contains("etc/passwd", names);
        Shell($"docker cp {c}:/etc/. - > {Local("dot.tar")}").EnsureSuccess("docker cp of dir/. to -");
        Assert.Contains("./passwd", Entries(File.OpenRead(Local("dot.tar"))).Select(e => e.Name));

        WriteTar(Local("in.tar"), compress: false, ("plain.txt", "plain\n"), ("d/nested.txt", "nested\n"));
        WriteTar(Local("in.tgz"), compress: true, ("zipped.txt", "zipped\n"));
        Shell($"docker cp - {c}:/tmp < {Local("in.tar")} && docker cp - {c}:/tmp < {Local("in.tgz")}").EnsureSuccess("docker cp from -");
        Assert.Equal("plain\nnested\nzipped\n", Exec(c, "cat /tmp/plain.txt /tmp/d/nested.txt /tmp/zipped.txt"));

        var toFile = Shell($"docker cp - {c}:/etc/passwd < {Local("in.tar")}");
        Assert.Equal(1, toFile.ExitCode);
        Assert.Equal($"destination \"{c}:/etc/passwd\" must be a directory\n", toFile.Stderr);
    }

    [Fact]
    public void A_client_that_leaves_mid_stream_frees_the_container()
    {
        string c = Running(Image, "sleep", "1000");
        Exec(c, "dd if=/dev/zero of=/tmp/big bs=1M count=64 2>/dev/null");
        // head leaves after the first block; docker dies of the broken pipe, and berthd's writes fail.
        Shell($"docker cp {c}:/tmp/big - | head -c 512 > /dev/null");
        // The archive held the container's lock while it was sent: stop needs it.
        _d.Cli(["stop", "-t", "0", c], TimeSpan.FromSeconds(60)).EnsureSuccess("docker stop after an abandoned copy");
        _d.Cli("cp", $"{c}:/etc/passwd", Local("after")).EnsureSuccess("docker cp after an abandoned copy");
    }

    [Fact]
    public void Symlinks_that_climb_out_of_the_container_resolve_inside_it_both_ways()
    {
        string c = Running(Image, "sleep", "1000");
        Exec(c, "echo in-container > /etc/berth-marker; ln -s ../../../../../../etc /tmp/up; ln -s /etc /tmp/abs");
        string marker = TestIds.New("cp-escape");
        File.WriteAllText(Local(marker), "escaped?\n");
        try
        {
            foreach (string link in new[] { "up", "abs" })
            {
                _d.Cli("cp", $"{c}:/tmp/{link}/berth-marker", Local(link)).EnsureSuccess($"docker cp through /tmp/{link}");
                Assert.Equal("in-container\n", File.ReadAllText(Local(link)));
                _d.Cli("cp", Local(marker), $"{c}:/tmp/{link}/").EnsureSuccess($"docker cp into /tmp/{link}/");
            }
            Assert.False(File.Exists("/etc/" + marker), "nothing is written to the host's /etc");
            Assert.Equal("escaped?\n", Exec(c, $"cat /etc/{marker}"));

            // The same for a stopped container, whose root is mounted for the copy.
            _d.Cli("stop", "-t", "0", c).EnsureSuccess("docker stop");
            _d.Cli("cp", $"{c}:/tmp/up/berth-marker", Local("stopped")).EnsureSuccess("docker cp through a symlink of a stopped container");
            Assert.Equal("in-container\n", File.ReadAllText(Local("stopped")));
            _d.Cli("cp", Local(marker), $"{c}:/tmp/up/{marker}.2").EnsureSuccess("docker cp into a stopped container through a symlink");
            Assert.False(File.Exists($"/etc/{marker}.2"), "nothing is written to the host's /etc");
        }
        finally
        {
            File.Delete("/etc/" + marker);
            File.Delete($"/etc/{marker}.2");
        }
    }

    [Fact]
    public void Follow_link_copies_what_a_symlink_points_to_under_the_symlink_s_name()
    {
        string c = Running(Image, "sleep", "1000");
        Exec(c, "ln -s /etc /tmp/abs");
        _d.Cli("cp", $"{c}:/tmp/abs", Local("nolink")).EnsureSuccess("docker cp of a symlink");
        Assert.Equal("/etc", new FileInfo(Local("nolink")).LinkTarget);
        _d.Cli("cp", "-L", $"{c}:/tmp/abs", Local("followed")).EnsureSuccess("docker cp -L");
        Assert.True(File.Exists(Local("followed/passwd")));
    }

    [Fact]
    public void A_missing_path_is_docker_s_error_and_nothing_is_written()
    {
        string c = Created(Image, "true");
        var missing = _d.Cli("cp", $"{c}:/no/such/file", _local);
        Assert.Equal(1, missing.ExitCode);
        Assert.Equal($"Error response from daemon: Could not find the file /no/such/file in container {c}\n", missing.Stderr);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_local));

        File.WriteAllText(Local("f"), "f\n");
        var intoMissing = _d.Cli("cp", Local("f"), $"{c}:/no/such/dir/");
        Assert.Equal(1, intoMissing.ExitCode);
        Assert.Equal("no such directory\n", Errors(intoMissing));
        var intoFile = _d.Cli("cp", Local("f"), $"{c}:/etc/passwd/x");
        Assert.Equal(1, intoFile.ExitCode);
        Assert.Equal("Error response from daemon: extraction point is not a directory\n", Errors(intoFile));
        var noContainer = _d.Cli("cp", Local("f"), "berth-test-cp-nosuch:/tmp");
        Assert.Equal("Error response from daemon: No such container: berth-test-cp-nosuch\n", Errors(noContainer));
        Assert.Equal("", _d.Cli("diff", c).EnsureSuccess("docker diff").Stdout);
    }

    [Fact]
    public void Read_only_roots_and_volumes_refuse_uploads_and_a_directory_is_not_replaced_by_a_file()
    {
        string rw = Directory.CreateDirectory(Local("rw")).FullName;
        string ro = Directory.CreateDirectory(Local("ro")).FullName;
        string c = Running("--read-only", "-v", $"{rw}:/rw", "-v", $"{ro}:/ro:ro", Image, "sleep", "1000");
        File.WriteAllText(Local("f"), "f\n");
        Assert.Equal("Error response from daemon: container rootfs is marked read-only\n", Errors(_d.Cli("cp", Local("f"), $"{c}:/tmp/")));
        Assert.Equal("Error response from daemon: mounted volume is marked read-only\n", Errors(_d.Cli("cp", Local("f"), $"{c}:/ro/")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(ro));
        _d.Cli("cp", Local("f"), $"{c}:/rw/").EnsureSuccess("docker cp into a read-write volume");
        Assert.Equal("f\n", File.ReadAllText(Path.Combine(rw, "f")));

        // docker cp never lets a file replace a directory (noOverwriteDirNonDir).
        Directory.CreateDirectory(Path.Combine(rw, "clash"));
        File.WriteAllText(Local("clash"), "file\n");
        var clash = _d.Cli("cp", Local("clash"), $"{c}:/rw/");
        Assert.Equal(1, clash.ExitCode);
        Assert.Equal("Error response from daemon: cannot overwrite directory \"/rw/clash\" with non-directory \"/rw\"\n", Errors(clash));
        Assert.True(Directory.Exists(Path.Combine(rw, "clash")));
    }

    [Fact]
    public void Archive_mode_gives_the_container_user_s_ids_and_events_are_docker_s()
    {
        string since = DateTimeOffset.UtcNow.AddSeconds(-1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        string c = Running("--user", "nobody", Image, "sleep", "1000");
        File.WriteAllText(Local("owned"), "owned\n");
        _d.Cli("cp", Local("owned"), $"{c}:/tmp/plain").EnsureSuccess("docker cp");
        _d.Cli("cp", "-a", Local("owned"), $"{c}:/tmp/archived").EnsureSuccess("docker cp -a");
        Assert.Equal("0:0\n65534:65534\n", Exec(c, "stat -c %u:%g /tmp/plain /tmp/archived"));

        _d.Cli("cp", $"{c}:/tmp/plain", Local("back")).EnsureSuccess("docker cp out");
        string until = DateTimeOffset.UtcNow.AddSeconds(1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var events = _d.Cli("events", "--since", since, "--until", until, "--filter", $"container={c}", "--filter", "event=extract-to-dir",
            "--filter", "event=archive-path", "--format", "{{.Action}} {{.Actor.Attributes.name}}").EnsureSuccess("docker events");
        Assert.Equal($"extract-to-dir {c}\nextract-to-dir {c}\narchive-path {c}\n", events.Stdout);
    }

    static List<System.Formats.Tar.TarEntry> Entries(Stream tar)
    {
        using (tar)
        {
            using var reader = new System.Formats.Tar.TarReader(tar);
            var entries = new List<System.Formats.Tar.TarEntry>();
            while (reader.GetNextEntry() is { } entry)
                entries.Add(entry);
            return entries;
        }
    }

    static void WriteTar(string path, bool compress, params (string Name, string Content)[] files)
    {
        using var file = File.Create(path);
        using Stream output = compress ? new GZipStream(file, CompressionLevel.Fastest) : file;
        using var writer = new System.Formats.Tar.TarWriter(output, TarEntryFormat.Pax);
        foreach (var (name, content) in files)
        {
            var entry = new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content)) };
            writer.WriteEntry(entry);
        }
    }
}
