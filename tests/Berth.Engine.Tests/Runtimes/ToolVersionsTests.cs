using Berth.Engine.Runtimes;

namespace Berth.Engine.Tests.Runtimes;

/// <summary>--version outputs read as dockerd reads them for RuncCommit, InitCommit and the version's components.</summary>
public sealed class ToolVersionsTests
{
    [Theory]
    [InlineData("runc version 1.1.5+ds1\ncommit: 1.1.5+ds1-1+deb12u1\nspec: 1.0.2-dev\ngo: go1.19.8\nlibseccomp: 2.5.4\n", "1.1.5+ds1", "1.1.5+ds1-1+deb12u1")]
    [InlineData("crun version 1.8.1\ncommit: f8a096be060b22ccd3d5f3ebe44108517fbf6c30\nrundir: /run/crun\nspec: 1.0.0\n+SYSTEMD +SELINUX\n", "1.8.1", "f8a096be060b22ccd3d5f3ebe44108517fbf6c30")]
    [InlineData("berth-runtime version 0.1.0\nspec: 1.2.0\n", "0.1.0", "")]
    public void A_runtime_s_version_and_commit(string output, string version, string commit)
        => Assert.Equal(new ToolVersion(version, commit), ToolVersions.ParseRuntime(output));

    [Theory]
    [InlineData("tini version 0.19.0 - git.de40ad0\n", "0.19.0", "de40ad0")]
    [InlineData("tini version 0.19.0\n", "0.19.0", "")]
    [InlineData("berth-init version 0.1.0 - git.3b2a023\n", "0.1.0", "3b2a023")]
    public void An_init_s_version_and_commit(string output, string version, string commit)
        => Assert.Equal(new ToolVersion(version, commit), ToolVersions.ParseInit(output));

    [Fact]
    public void Output_without_a_version_or_commit_is_nothing()
    {
        Assert.Null(ToolVersions.ParseRuntime("usage: something\n"));
        Assert.Null(ToolVersions.ParseInit("unexpected\n"));
    }

    [Fact]
    public void A_program_that_cannot_be_run_has_no_version()
    {
        Assert.Null(ToolVersions.Runtime("/nonexistent/berth-no-such-runtime"));
        Assert.Null(ToolVersions.Init("/bin/false"));
    }
}
