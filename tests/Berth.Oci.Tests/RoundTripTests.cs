using System.Text;
using Berth.Oci.Runtime;

namespace Berth.Oci.Tests;

public sealed class RoundTripTests
{
    // Every field of the Linux spec in Go's field order, tab-indented, maps sorted, Go-escaped: what runc
    // would write for this config, except that empty lists and maps are kept (Go drops them under omitempty).
    private static byte[] FullConfig => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "full-config.json"));

    [Fact]
    public void Full_config_writes_back_byte_identical()
    {
        RuntimeSpec spec = OciJson.ReadSpec(FullConfig);

        DefaultSpecTests.AssertBytes(FullConfig, OciJson.WriteIndented(spec));
    }

    [Fact]
    public void Full_config_compact_round_trip_is_stable()
    {
        byte[] compact = OciJson.WriteCompact(OciJson.ReadSpec(FullConfig));

        Assert.DoesNotContain((byte)'\n', compact);
        DefaultSpecTests.AssertBytes(compact, OciJson.WriteCompact(OciJson.ReadSpec(compact)));
        DefaultSpecTests.AssertBytes(FullConfig, OciJson.WriteIndented(OciJson.ReadSpec(compact)));
    }

    [Fact]
    public void Full_config_values_are_read()
    {
        RuntimeSpec spec = OciJson.ReadSpec(FullConfig);

        Process process = spec.Process!;
        Assert.Equal(1000u, process.User.Uid);
        Assert.Equal(18u, process.User.Umask);
        Assert.Equal([5u, 10u, uint.MaxValue], process.User.AdditionalGids!);
        Assert.Equal("echo \"<hi>\" & exit", process.Args![2]);
        Assert.Equal("GREETING=grüße €", process.Env![1]);
        Assert.Equal(ulong.MaxValue, process.Rlimits![1].Hard);
        Assert.Equal(-500, process.OomScoreAdj);
        Assert.Equal(-5, process.Scheduler!.Nice);
        Assert.Equal("2-3,7", process.ExecCpuAffinity!.Final);
        Assert.Equal(5, spec.Hooks!.Poststop![0].Timeout);
        Assert.Equal("\u2028", spec.Annotations!["z.last"]);

        Linux linux = spec.Linux!;
        Assert.Equal(-3600, linux.TimeOffsets!["boottime"].Secs);
        Assert.Equal(500u, linux.TimeOffsets["monotonic"].Nanosecs);
        Assert.Equal(-1, linux.Resources!.Pids!.Limit);
        Assert.False(linux.Resources.Memory!.DisableOomKiller);
        Assert.Equal(0ul, linux.Resources.Memory.Swappiness);
        Assert.Null(linux.Resources.Devices![0].Major);
        Assert.Equal(3u, linux.Resources.Rdma!["mlx5_0"].HcaHandles);
        Assert.Equal(ulong.MaxValue, linux.Seccomp!.Syscalls![1].Args![1].ValueTwo);
        Assert.Equal(438u, linux.Devices![0].FileMode);
        Assert.Equal("ext0", linux.NetDevices!["eth1"].Name);
        Assert.Empty(linux.Personality!.Flags!);
    }

    [Fact]
    public void Absent_and_empty_lists_stay_apart()
    {
        RuntimeSpec absent = Read("""{"ociVersion":"1.2.0","linux":{}}""");
        RuntimeSpec empty = Read("""{"ociVersion":"1.2.0","linux":{"namespaces":[]}}""");

        Assert.Null(absent.Linux!.Namespaces);
        Assert.NotNull(empty.Linux!.Namespaces);
        Assert.Empty(empty.Linux.Namespaces);
        Assert.Equal("""{"ociVersion":"1.2.0","linux":{}}""", Write(absent));
        Assert.Equal("""{"ociVersion":"1.2.0","linux":{"namespaces":[]}}""", Write(empty));
    }

    [Fact]
    public void Go_omitempty_values_are_left_out_and_required_ones_written()
    {
        RuntimeSpec spec = new()
        {
            OciVersion = "1.2.0",
            Process = new Process { Terminal = false, NoNewPrivileges = false },
            Root = new Root { Path = "rootfs", Readonly = false },
            Hooks = new Hooks { Poststop = [new Hook { Path = "/bin/true" }] },
            Linux = new Linux
            {
                Resources = new LinuxResources { Devices = [new LinuxDeviceCgroup { Allow = false }] },
                Seccomp = new LinuxSeccomp { DefaultAction = "SCMP_ACT_ALLOW", Syscalls = [new LinuxSyscall { Action = "SCMP_ACT_LOG" }] },
                TimeOffsets = new() { ["monotonic"] = new TimeOffset() },
            },
        };

        Assert.Equal(
            """
            {"ociVersion":"1.2.0","process":{"user":{"uid":0,"gid":0},"cwd":""},"root":{"path":"rootfs"},"hooks":{"poststop":[{"path":"/bin/true"}]},"linux":{"resources":{"devices":[{"allow":false}]},"seccomp":{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":[],"action":"SCMP_ACT_LOG"}]},"timeOffsets":{"monotonic":{}}}}
            """,
            Write(spec));
    }

    [Fact]
    public void Unknown_properties_are_ignored_and_names_match_any_case_as_in_go()
    {
        RuntimeSpec spec = Read("""{"ociVersion":"1.2.0","vendorThing":{"x":[1,2]},"Process":{"CWD":"/x","user":{"UID":7}},"windows":{}}""");

        Assert.Equal("/x", spec.Process!.Cwd);
        Assert.Equal(7u, spec.Process.User.Uid);
    }

    [Fact]
    public void Process_alone_round_trips_as_for_runc_exec_process()
    {
        byte[] json = """{"terminal":true,"user":{"uid":1,"gid":2},"args":["ps"],"cwd":"/"}"""u8.ToArray();

        Process process = OciJson.Read<Process>(json, "process.json");

        Assert.Equal(json, OciJson.WriteCompact(process));
    }

    private static RuntimeSpec Read(string json) => OciJson.ReadSpec(Encoding.UTF8.GetBytes(json));

    private static string Write<T>(T value) => Encoding.UTF8.GetString(OciJson.WriteCompact(value));
}
