using Berth.TestSupport;
using Berth.Linux.Cgroups;
using Xunit;

namespace Berth.Linux.Tests.Cgroups;

public class CgroupFilesTests
{
    [Fact]
    public void ARefusedWriteNamesTheFileAndTheErrno()
    {
        using var cg = TestCgroup.V1("pids");
        var e = Assert.Throws<LinuxException>(() => CgroupFiles.Write(cg.Dir, "pids.max", "lots"));
        Assert.Equal(Errno.EINVAL, e.Errno);
        Assert.Equal($"write {cg.Dir}/pids.max: invalid argument", e.Message);
        CgroupFiles.Write(cg.Dir, "pids.max", "7");
        Assert.Equal(7ul, CgroupFiles.ReadUInt64(cg.Dir, "pids.max"));
        CgroupFiles.Write(cg.Dir, "pids.max", "max");
        Assert.Equal(ulong.MaxValue, CgroupFiles.ReadUInt64(cg.Dir, "pids.max"));
    }

    [Fact]
    public void AMissingFileIsReportedAsSuch()
    {
        using var cg = TestCgroup.V1("pids");
        Assert.False(CgroupFiles.TryRead(cg.Dir, "no.such.file", out _));
        var e = Assert.Throws<LinuxException>(() => CgroupFiles.Read(cg.Dir, "no.such.file"));
        Assert.Equal(Errno.ENOENT, e.Errno);
        Assert.Contains($"{cg.Dir}/no.such.file", e.Message);
        Assert.Equal(Errno.ENOENT, CgroupFiles.TryWrite(cg.Dir, "no.such.file", "1"));
    }

    [Fact]
    public void ParsesFlatKeyedFiles()
    {
        var map = CgroupFiles.ParseKeyValues("oom_kill_disable 0\nunder_oom 0\noom_kill 3\n");
        Assert.Equal(3ul, map["oom_kill"]);
        Assert.Equal(ulong.MaxValue, CgroupFiles.ParseUInt64("max"));
        Assert.Equal(ulong.MaxValue, CgroupFiles.ParseUInt64("-1"));
    }

    [Fact]
    public void ProcessesAreListedRecursively()
    {
        using var cg = TestCgroup.V1("pids");
        string sub = cg.Dir + "/sub";
        Assert.Equal(0, CgroupDirectories.TryMake(sub));
        using var a = ShellChild.Start("read x; exec sleep 30");
        using var b = ShellChild.Start("read x; exec sleep 30");
        CgroupProcesses.Add(cg.Dir, a.Pid);
        CgroupProcesses.Add(sub, b.Pid);
        Assert.Equal([a.Pid], CgroupProcesses.List(cg.Dir));
        Assert.Equal(new[] { a.Pid, b.Pid }.Order(), CgroupProcesses.ListRecursive(cg.Dir).Order());
    }
}
