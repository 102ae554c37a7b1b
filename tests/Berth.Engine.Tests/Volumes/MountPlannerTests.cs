using Berth.Engine.Model;
using Berth.Engine.Volumes;

namespace Berth.Engine.Tests.Volumes;

public sealed class MountPlannerTests
{
    static readonly Func<string, IReadOnlyList<ContainerMountPoint>> NoContainers = name => throw EngineException.NoSuchContainer(name);

    [Fact]
    public void A_destination_given_twice_is_dockers_duplicate_mount_point()
    {
        var host = new HostConfig { Binds = ["one:/data"], Mounts = [new ContainerMount { Type = "volume", Source = "two", Target = "/data/" }] };
        var e = Assert.Throws<EngineException>(() => MountPlanner.Plan(new ContainerConfig(), host, NoContainers));
        Assert.Equal("Duplicate mount point: /data", e.Message);
    }

    [Fact]
    public void Image_volumes_become_anonymous_volumes_unless_something_else_is_mounted_there()
    {
        var config = new ContainerConfig { Volumes = new() { ["/data"] = new(), ["/logs"] = new() } };
        var host = new HostConfig { Binds = ["named:/data"] };
        var plan = MountPlanner.Plan(config, host, NoContainers);
        Assert.Equal(2, plan.Count);
        Assert.Equal("named", plan.Single(p => p.Point.Destination == "/data").Point.Name);
        var logs = plan.Single(p => p.Point.Destination == "/logs").Point;
        Assert.Equal(("volume", "", false, true), (logs.Type, logs.Name, logs.Named, logs.CopyData));
    }

    [Fact]
    public void Volumes_from_copies_the_mounts_read_only_when_asked_and_binds_override_them()
    {
        var other = new List<ContainerMountPoint>
        {
            new() { Type = "volume", Name = "shared", Source = "/v/shared/_data", Destination = "/a", RW = true, Named = true },
            new() { Type = "volume", Name = "other", Source = "/v/other/_data", Destination = "/b", RW = true },
            new() { Type = "tmpfs", Destination = "/t" },
        };
        var host = new HostConfig { VolumesFrom = ["first:ro"], Binds = ["/tmp:/b"] };
        var plan = MountPlanner.Plan(new ContainerConfig(), host, name => name == "first" ? other : throw EngineException.NoSuchContainer(name));
        Assert.Equal(2, plan.Count);
        var a = plan.Single(p => p.Point.Destination == "/a").Point;
        Assert.Equal(("shared", false, false), (a.Name, a.RW, a.CopyData));
        Assert.Equal("bind", plan.Single(p => p.Point.Destination == "/b").Point.Type);
    }

    [Fact]
    public void Volumes_from_a_missing_container_or_with_a_bad_mode_fails()
    {
        Assert.Equal("No such container: nope", Assert.Throws<EngineException>(() => MountPlanner.Plan(new ContainerConfig(), new HostConfig { VolumesFrom = ["nope"] }, NoContainers)).Message);
        Assert.Equal("invalid mode: rx", Assert.Throws<EngineException>(() => MountPlanner.VolumesFrom("c:rx")).Message);
    }

    [Fact]
    public void Parents_are_mounted_before_children()
    {
        var order = MountPlanner.InMountOrder([new() { Destination = "/a/b/c" }, new() { Destination = "/z" }, new() { Destination = "/a/b" }]).Select(p => p.Destination);
        Assert.Equal(["/z", "/a/b", "/a/b/c"], order);
    }
}
