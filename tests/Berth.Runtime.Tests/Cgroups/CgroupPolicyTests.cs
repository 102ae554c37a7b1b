using Berth.Linux;
using Berth.Linux.Cgroups;
using Berth.Oci.Runtime;
using Berth.Runtime.Cgroups;
using Berth.Runtime.Init;

namespace Berth.Runtime.Tests.Cgroups;

/// <summary>The parts of the cgroup policy that need no kernel: paths, conversions, rules, routing.</summary>
public class CgroupPolicyTests
{
    [Theory]
    [InlineData(null, "berth/c1")]
    [InlineData("", "berth/c1")]
    [InlineData("/docker//abc/./", "/docker/abc")]
    [InlineData("pods/p1/c1", "pods/p1/c1")]
    public void PathsAreDefaultedAndNormalized(string? given, string expected)
        => Assert.Equal(expected, CgroupPaths.Normalize(given, "c1"));

    [Theory]
    [InlineData("a/../../etc", "\"..\" is not allowed")]
    [InlineData("/", "root cgroup")]
    [InlineData("system.slice:docker:abc", "systemd")]
    public void BadPathsAreRefused(string given, string reason)
    {
        var e = Assert.Throws<RuntimeError>(() => CgroupPaths.Normalize(given, "c1"));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.StartsWith("linux.cgroupsPath", e.Message);
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void RelativePathsNestUnderTheOwnCgroupAndAbsoluteOnesDoNot()
    {
        Assert.Equal("/process_api/abc/berth/c1", CgroupPaths.InHierarchy("berth/c1", "/process_api/abc"));
        Assert.Equal("/berth/c1", CgroupPaths.InHierarchy("berth/c1", "/"));
        Assert.Equal("/docker/c1", CgroupPaths.InHierarchy("/docker/c1", "/process_api/abc"));
    }

    [Theory]
    [InlineData(2ul, 1ul)]
    [InlineData(1024ul, 39ul)]
    [InlineData(262144ul, 10000ul)]
    public void SharesBecomeRuncsCpuWeight(ulong shares, ulong weight) => Assert.Equal(weight, CgroupConversions.CpuWeight(shares));

    [Theory]
    [InlineData(10ul, 1ul)]
    [InlineData(500ul, 4950ul)]
    [InlineData(1000ul, 10000ul)]
    public void BlkioWeightBecomesRuncsIoWeight(ulong blkio, ulong io) => Assert.Equal(io, CgroupConversions.IoWeight(blkio));

    [Theory]
    [InlineData(0L, 100L, 0L)]
    [InlineData(-1L, 100L, -1L)]
    [InlineData(0L, -1L, -1L)]
    [InlineData(300L, 100L, 200L)]
    [InlineData(100L, 100L, 0L)]
    public void SwapIsMemoryPlusSwapInTheSpecAndSwapAloneInV2(long swap, long limit, long swapMax)
        => Assert.Equal(swapMax, CgroupConversions.SwapV2(swap, limit));

    [Fact]
    public void SwapBelowMemoryOrWithoutAMemoryLimitIsRefused()
    {
        Assert.Throws<ArgumentException>(() => CgroupConversions.SwapV2(50, 100));
        Assert.Throws<ArgumentException>(() => CgroupConversions.SwapV2(100, 0));
    }

    [Fact]
    public void ThrottlesOfADeviceGoOnOneIoMaxLine()
    {
        var lines = ResourcesV2.IoMaxLines(new LinuxBlockIO
        {
            ThrottleReadBpsDevice = [new() { Major = 8, Minor = 0, Rate = 1048576 }],
            ThrottleWriteIopsDevice = [new() { Major = 8, Minor = 0, Rate = 100 }, new() { Major = 7, Minor = 1, Rate = 0 }],
        });
        Assert.Equal([("7:1", "7:1 wiops=max"), ("8:0", "8:0 rbps=1048576 wiops=100")], lines);
    }

    [Fact]
    public void SpecDeviceRulesAreConvertedAndTheUsualDevicesAppended()
    {
        var rules = DeviceRules.Effective([new LinuxDeviceCgroup { Allow = false, Access = "rwm" }, new LinuxDeviceCgroup { Allow = true, Type = "b", Major = 8 }]);
        Assert.Equal("deny a *:* rwm", rules[0].ToString());
        Assert.Equal("allow b 8:* rwm", rules[1].ToString());
        Assert.Equal(DeviceRules.AlwaysAllowed, rules[2..]);
        var bad = Assert.Throws<RuntimeError>(() => DeviceRules.Effective([new LinuxDeviceCgroup(), new LinuxDeviceCgroup { Type = "x" }]));
        Assert.Equal("linux.resources.devices[1].type: \"x\" is not a device cgroup type (a, b or c)", bad.Message);
        bad = Assert.Throws<RuntimeError>(() => DeviceRules.Effective([new LinuxDeviceCgroup { Access = "rx" }]));
        Assert.StartsWith("linux.resources.devices[0].access", bad.Message);
    }

    [Fact]
    public void AV1HoleInAWildcardRuleNamesTheRule()
    {
        var e = Assert.Throws<RuntimeError>(() => DeviceRules.ForV1([
            new LinuxDeviceCgroup { Allow = false },
            new LinuxDeviceCgroup { Allow = true, Type = "c" },
            new LinuxDeviceCgroup { Allow = false, Type = "c", Major = 1, Minor = 11, Access = "r" },
        ]));
        Assert.StartsWith("linux.resources.devices[2]: ", e.Message);
    }

    [Fact]
    public void OnAHybridMachineEachPartGoesWhereItsController()
    {
        string[] v1 = ["cpu", "cpuacct", "cpuset", "memory", "devices", "freezer", "blkio", "pids"];
        var r = new LinuxResources
        {
            Memory = new() { Limit = 1 },
            Cpu = new() { Shares = 512, Cpus = "0" },
            HugepageLimits = [new() { PageSize = "2MB", Limit = 1 }],
            Unified = new() { ["hugetlb.2MB.max"] = "1" },
            Devices = [],
        };
        var (onV1, onV2) = ResourceSplit.Split(r, v1.Contains);
        Assert.Same(r.Memory, onV1.Memory);
        Assert.Equal(512ul, onV1.Cpu!.Shares);
        Assert.Equal("0", onV1.Cpu.Cpus);
        Assert.Same(r.Devices, onV1.Devices);
        Assert.Same(r.HugepageLimits, onV2.HugepageLimits);
        Assert.Same(r.Unified, onV2.Unified);
        Assert.Null(onV2.Memory);
        Assert.Null(onV2.Cpu);
        Assert.Null(onV1.HugepageLimits);
    }

    [Fact]
    public void RootlessWithoutCgroupAccessRunsWithoutACgroupUnlessLimitsAreAsked()
    {
        var m = new RootlessManager(new RefusingManager());
        m.Create();
        Assert.Empty(m.Record.Paths);
        Assert.Empty(m.Record.Created);
        Assert.Empty(m.MountSources);
        m.Apply(null);
        m.Apply(new LinuxResources { Devices = [new() { Allow = false }], Pids = new() { Limit = 0 }, Memory = new() { Limit = -1 } });
        m.AddProcess(1);
        Assert.Equal(CgroupJoin.None, m.Join);
        Assert.Empty(m.Pids());
        var e = Assert.Throws<RuntimeError>(() => m.Apply(new LinuxResources { Pids = new() { Limit = 10 } }));
        Assert.Equal(ErrorKind.Unsupported, e.Kind);
        Assert.StartsWith("linux.resources.pids.limit: ", e.Message);
        Assert.Contains("permission denied", e.Message);
        Assert.Throws<RuntimeError>(m.Freeze);
    }

    [Fact]
    public void ARecordWithoutPathsGivesAManagerThatDoesNothing()
    {
        var m = CgroupManagers.FromRecord(new CgroupRecord());
        Assert.Empty(m.Pids());
        Assert.False(m.IsFrozen());
        Assert.Equal(0, m.OomKillCount());
        m.Destroy();
    }

    /// <summary>A manager whose mkdir is refused, as for a user without a delegated cgroup.</summary>
    sealed class RefusingManager : ICgroupManager
    {
        public CgroupRecord Record { get; } = new() { Path = "berth/x" };

        public IReadOnlyList<CgroupMountSource> MountSources => throw new InvalidOperationException();

        public void Create() => throw new RuntimeError(ErrorKind.Internal, "create cgroup /sys/fs/cgroup/berth: permission denied", new LinuxException(Errno.EACCES, "create cgroup /sys/fs/cgroup/berth"));

        public void Destroy()
        {
        }

        public void Apply(LinuxResources? resources) => throw new InvalidOperationException();

        public void AddProcess(int pid) => throw new InvalidOperationException();

        public CgroupJoin Join => throw new InvalidOperationException();

        public IReadOnlyList<int> Pids() => throw new InvalidOperationException();

        public void Freeze() => throw new InvalidOperationException();

        public void Thaw() => throw new InvalidOperationException();

        public bool IsFrozen() => throw new InvalidOperationException();

        public CgroupStats Stats() => throw new InvalidOperationException();

        public long OomKillCount() => throw new InvalidOperationException();
    }
}
