using Berth.TestSupport;

namespace Berth.Compat;

/// <summary>
/// Volumes through berthd with the docker CLI v28: named volumes that outlive and are shared by containers, copy-up
/// of an image's content, tmpfs mounts in memory, rm -v and --rm taking anonymous volumes, Docker's in-use and bad
/// input errors, prune, and no mount left once everything is removed. Containers run without a network.
/// </summary>
public sealed class VolumeTests(BerthdFixture fixture) : IClassFixture<BerthdFixture>, IDisposable
{
    readonly BerthDaemon _d = fixture.Daemon;
    readonly List<string> _containers = [];
    readonly List<string> _volumes = [];
    readonly List<string> _images = [];

    public void Dispose()
    {
        if (_containers.Count > 0)
            _d.Cli(["rm", "-f", "-v", .. _containers]);
        if (_volumes.Count > 0)
            _d.Cli(["volume", "rm", "-f", .. _volumes]);
        if (_images.Count > 0)
            _d.Cli(["rmi", .. _images]);
        // Nothing of this daemon's volumes may stay mounted, whatever the test did.
        Assert.DoesNotContain(Path.Combine(_d.DataRoot, "volumes"), File.ReadAllText("/proc/self/mountinfo"));
    }

    string Name(string what, List<string> into)
    {
        string name = TestIds.New(what);
        into.Add(name);
        return name;
    }

    CommandResult Run(params string[] args)
    {
        string name = Name("vol", _containers);
        return _d.Cli(["run", "--name", name, "--network", "none", .. args]);
    }

    /// <summary>An image whose /data holds a file owned by 1000:1000 and that declares VOLUME /data.</summary>
    string ImageWithData()
    {
        string maker = Name("vol-mk", _containers);
        _d.Cli("run", "--name", maker, "--network", "none", BerthDaemon.Image, "sh", "-c", "mkdir -p /data && echo hello > /data/greeting && chown -R 1000:1000 /data").EnsureSuccess("docker run (image maker)");
        string image = TestIds.New("volimg") + ":latest";
        _images.Add(image);
        _d.Cli("commit", "--change", "VOLUME /data", maker, image).EnsureSuccess("docker commit");
        return image;
    }

    [Fact]
    public void A_named_volume_outlives_its_container_and_is_shared_by_two()
    {
        string volume = Name("data", _volumes);
        Assert.Equal(volume + "\n", _d.Cli("volume", "create", "--label", "team=a", volume).EnsureSuccess("docker volume create").Stdout);
        Run("-v", volume + ":/data", BerthDaemon.Image, "sh", "-c", "echo kept > /data/file").EnsureSuccess("docker run writer");
        _d.Cli(["rm", .. _containers]).EnsureSuccess("docker rm writer");
        _containers.Clear();

        string reader = Name("vol-reader", _containers);
        _d.Cli("run", "-d", "--name", reader, "--network", "none", "--mount", $"type=volume,src={volume},dst=/shared", BerthDaemon.Image, "sleep", "300").EnsureSuccess("docker run -d reader");
        Assert.Equal("kept\n", _d.Cli("exec", reader, "cat", "/shared/file").EnsureSuccess("docker exec cat").Stdout);
        Run("-v", volume + ":/data", BerthDaemon.Image, "sh", "-c", "echo second > /data/other").EnsureSuccess("docker run second writer");
        Assert.Equal("second\n", _d.Cli("exec", reader, "cat", "/shared/other").EnsureSuccess("docker exec cat").Stdout);

        string mount = _d.Inspect(reader, "{{range .Mounts}}{{.Type}}|{{.Name}}|{{.Source}}|{{.Destination}}|{{.Driver}}|{{.Mode}}|{{.RW}}{{end}}");
        Assert.Equal($"volume|{volume}|{_d.DataRoot}/volumes/{volume}/_data|/shared|local||true", mount);
        Assert.Equal("a", _d.Cli("volume", "inspect", "-f", "{{.Labels.team}}", volume).EnsureSuccess("docker volume inspect").Stdout.Trim());
        Assert.Equal("local " + volume, _d.Cli("volume", "ls", "--format", "{{.Driver}} {{.Name}}", "--filter", "name=" + volume).EnsureSuccess("docker volume ls").Stdout.Trim());
    }

    [Fact]
    public void A_volume_in_use_cannot_be_removed_with_dockers_error()
    {
        string volume = Name("busy", _volumes);
        string container = Name("vol-user", _containers);
        _d.Cli("create", "--name", container, "--network", "none", "-v", volume + ":/data", BerthDaemon.Image, "true").EnsureSuccess("docker create");
        string id = _d.Inspect(container, "{{.Id}}");
        var refused = _d.Cli("volume", "rm", volume);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains($"remove {volume}: volume is in use - [{id}]", refused.Stderr);
        _d.Cli("rm", container).EnsureSuccess("docker rm");
        Assert.Equal(volume + "\n", _d.Cli("volume", "rm", volume).EnsureSuccess("docker volume rm").Stdout);
    }

    [Fact]
    public void Copy_up_fills_a_new_volume_with_the_images_content_unless_nocopy()
    {
        string image = ImageWithData();
        Assert.Equal("hello\n1000:1000\n", Run(image, "sh", "-c", "cat /data/greeting; stat -c %u:%g /data").EnsureSuccess("docker run anonymous").Stdout);
        string named = Name("copy", _volumes);
        Run("-v", named + ":/data", image, "true").EnsureSuccess("docker run named");
        Assert.Equal("hello\n", File.ReadAllText(Path.Combine(_d.DataRoot, "volumes", named, "_data", "greeting")));

        string empty = Name("nocopy", _volumes);
        Assert.Equal("", Run("--mount", $"type=volume,src={empty},dst=/data,volume-nocopy", image, "sh", "-c", "ls /data; touch /data/mine").EnsureSuccess("docker run nocopy").Stdout);
        // Only an empty volume is filled: one with content keeps just its own.
        Assert.Equal("mine\n", Run("-v", empty + ":/data", image, "ls", "/data").EnsureSuccess("docker run again").Stdout);
    }

    [Fact]
    public void A_tmpfs_mount_is_in_memory_with_its_size_and_mode()
    {
        var mounts = Run("--rm", "--mount", "type=tmpfs,dst=/scratch,tmpfs-size=64m,tmpfs-mode=1770", BerthDaemon.Image, "sh", "-c", "grep ' /scratch ' /proc/mounts; stat -c %a /scratch").EnsureSuccess("docker run tmpfs").Stdout;
        Assert.Matches(@"^tmpfs /scratch tmpfs rw,nosuid,nodev,noexec,relatime,size=65536k,mode=1770( \S+)* 0 0\n1770\n$", mounts);
    }

    [Fact]
    public void Rm_v_and_run_rm_remove_anonymous_volumes_but_not_named_ones()
    {
        string named = Name("keep", _volumes);
        string container = Name("vol-anon", _containers);
        _d.Cli("create", "--name", container, "--network", "none", "-v", "/anon", "-v", named + ":/named", BerthDaemon.Image, "true").EnsureSuccess("docker create");
        string anonymous = _d.Inspect(container, "{{range .Mounts}}{{if eq .Destination \"/anon\"}}{{.Name}}{{end}}{{end}}");
        Assert.Matches("^[0-9a-f]{64}$", anonymous);
        Assert.Equal("{\"com.docker.volume.anonymous\":\"\"}", _d.Cli("volume", "inspect", "-f", "{{json .Labels}}", anonymous).EnsureSuccess("docker volume inspect").Stdout.Trim());
        _d.Cli("rm", "-v", container).EnsureSuccess("docker rm -v");
        Assert.NotEqual(0, _d.Cli("volume", "inspect", anonymous).ExitCode);
        _d.Cli("volume", "inspect", named).EnsureSuccess("named volume kept");

        string before = _d.Cli("volume", "ls", "-q").Stdout;
        _d.Cli("run", "--rm", "--network", "none", "-v", "/anon2", BerthDaemon.Image, "true").EnsureSuccess("docker run --rm");
        Assert.Equal(before, _d.Cli("volume", "ls", "-q").Stdout);
    }

    [Fact]
    public void Prune_removes_unused_anonymous_volumes_and_with_all_named_ones()
    {
        string named = Name("prune", _volumes);
        _d.Cli("volume", "create", named).EnsureSuccess("docker volume create");
        string anonymous = _d.Cli("volume", "create", "--label", "com.docker.volume.anonymous=").EnsureSuccess("docker volume create").Stdout.Trim();
        _volumes.Add(anonymous);
        string used = Name("used", _volumes);
        Run("-v", used + ":/d", BerthDaemon.Image, "true").EnsureSuccess("docker run");

        var pruned = _d.Cli("volume", "prune", "-f").EnsureSuccess("docker volume prune").Stdout;
        Assert.Contains(anonymous, pruned);
        Assert.DoesNotContain(named, pruned);
        pruned = _d.Cli("volume", "prune", "-f", "-a").EnsureSuccess("docker volume prune -a").Stdout;
        Assert.Contains(named, pruned);
        Assert.DoesNotContain(used, pruned);
        _d.Cli("volume", "inspect", used).EnsureSuccess("used volume kept");
    }

    [Theory]
    [InlineData("--mount", "type=bind,src=/nonexistent-berth-test,dst=/x", "invalid mount config for type \"bind\": bind source path does not exist: /nonexistent-berth-test")]
    [InlineData("-v", "a/b:/x", "\"a/b\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed")]
    [InlineData("-v", "/tmp:/x:bogus", "invalid mode: bogus")]
    public void Bad_mounts_get_dockers_errors_and_leave_nothing(string flag, string value, string message)
    {
        string before = _d.Cli("volume", "ls", "-q").Stdout;
        string name = Name("vol-bad", _containers);
        var result = _d.Cli("create", "--name", name, "--network", "none", flag, value, "-v", "/anon", BerthDaemon.Image, "true");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(message, result.Stderr);
        Assert.Equal("", _d.Cli("ps", "-aq", "--filter", "name=" + name).Stdout);
        Assert.Equal(before, _d.Cli("volume", "ls", "-q").Stdout);
    }

    [Fact]
    public void A_destination_given_twice_is_a_duplicate_mount_point()
    {
        var result = Run("-v", "dup1:/x", "--mount", "type=volume,src=dup2,dst=/x", BerthDaemon.Image, "true");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Duplicate mount point: /x", result.Stderr);
        Assert.NotEqual(0, _d.Cli("volume", "inspect", "dup1").ExitCode);
    }

    [Fact]
    public void Volumes_from_shares_another_containers_volumes_read_only_when_asked()
    {
        string first = Name("vol-first", _containers);
        _d.Cli("create", "--name", first, "--network", "none", "-v", "/shared", BerthDaemon.Image, "true").EnsureSuccess("docker create");
        Run("--volumes-from", first, BerthDaemon.Image, "sh", "-c", "echo via > /shared/f").EnsureSuccess("docker run --volumes-from");
        var ro = Run("--volumes-from", first + ":ro", BerthDaemon.Image, "sh", "-c", "cat /shared/f; touch /shared/g");
        Assert.Equal("via\n", ro.Stdout);
        Assert.Contains("Read-only file system", ro.Stderr);
    }

    [Fact]
    public void A_tmpfs_volume_from_driver_options_is_mounted_and_unmounted_on_removal()
    {
        string volume = Name("tmpvol", _volumes);
        _d.Cli("volume", "create", "-o", "type=tmpfs", "-o", "device=tmpfs", "-o", "o=size=8m", volume).EnsureSuccess("docker volume create tmpfs");
        var mounts = Run("--rm", "-v", volume + ":/t", BerthDaemon.Image, "grep", " /t ", "/proc/mounts").EnsureSuccess("docker run").Stdout;
        Assert.StartsWith("tmpfs /t tmpfs rw,", mounts);
        Assert.Contains("size=8192k", mounts);
        _d.Cli("volume", "rm", volume).EnsureSuccess("docker volume rm");
        Assert.DoesNotContain(volume, File.ReadAllText("/proc/self/mountinfo"));
    }

    [Fact]
    public void System_df_counts_volumes_and_their_use()
    {
        string volume = Name("df", _volumes);
        Run("-v", volume + ":/d", BerthDaemon.Image, "dd", "if=/dev/zero", "of=/d/f", "bs=1024", "count=100").EnsureSuccess("docker run dd");
        var verbose = _d.Cli("system", "df", "-v").EnsureSuccess("docker system df -v").Stdout;
        var line = verbose.Split('\n').Single(l => l.StartsWith(volume + " ", StringComparison.Ordinal));
        Assert.Matches(@"\s1\s+102\.4kB$", line);
    }
    [Fact]
    public void Docker_cp_into_a_stopped_container_writes_into_its_volume()
    {
        string volume = Name("cp", _volumes);
        string container = Name("vol-cp", _containers);
        _d.Cli("create", "--name", container, "--network", "none", "-v", volume + ":/data", BerthDaemon.Image, "true").EnsureSuccess("docker create");
        string file = Path.Combine(_d.PathOf(""), TestIds.New("cpfile"));
        File.WriteAllText(file, "copied\n");
        try
        {
            _d.Cli("cp", file, container + ":/data/f").EnsureSuccess("docker cp");
        }
        finally
        {
            File.Delete(file);
        }
        Assert.Equal("copied\n", File.ReadAllText(Path.Combine(_d.DataRoot, "volumes", volume, "_data", "f")));
    }

    [Fact]
    public void Volume_events_are_dockers_create_mount_unmount_destroy()
    {
        string since = DateTimeOffset.UtcNow.AddSeconds(-1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        string volume = Name("ev", _volumes);
        Run("--rm", "-v", volume + ":/d", BerthDaemon.Image, "true").EnsureSuccess("docker run");
        _d.Cli("volume", "rm", volume).EnsureSuccess("docker volume rm");
        string until = DateTimeOffset.UtcNow.AddSeconds(1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var actions = _d.Cli("events", "--since", since, "--until", until, "--filter", "type=volume", "--format", "{{.Actor.ID}} {{.Action}} {{.Actor.Attributes.driver}}")
            .EnsureSuccess("docker events").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => l.StartsWith(volume + " ", StringComparison.Ordinal)).Select(l => l[(volume.Length + 1)..]);
        Assert.Equal(["create local", "destroy local", "mount local", "unmount local"], actions.Order(StringComparer.Ordinal));
    }
}
