using Berth.Engine.Model;
using Berth.Engine.Volumes;

namespace Berth.Engine.Tests.Volumes;

public sealed class MountSpecsTests
{
    [Fact]
    public void A_named_volume_with_v_is_named_copied_up_and_shows_mode_z()
    {
        var p = MountSpecs.ParseBind("data:/srv/data/").Point;
        Assert.Equal(("volume", "data", "/srv/data", "z", true, true, true), (p.Type, p.Name, p.Destination, p.Mode, p.RW, p.Named, p.CopyData));
        Assert.Equal("", p.Propagation);
    }

    [Fact]
    public void Nocopy_and_ro_are_kept_from_the_mode()
    {
        var p = MountSpecs.ParseBind("data:/d:ro,nocopy").Point;
        Assert.False(p.RW);
        Assert.False(p.CopyData);
        Assert.Equal("ro,nocopy", p.Mode);
    }

    [Fact]
    public void An_absolute_source_is_a_bind_with_rprivate_propagation()
    {
        var p = MountSpecs.ParseBind("/tmp:/t:ro,rshared").Point;
        Assert.Equal(("bind", "/tmp", "/t", false, "rshared", true), (p.Type, p.Source, p.Destination, p.RW, p.Propagation, p.CreateSource));
        Assert.Equal("rprivate", MountSpecs.ParseBind("/tmp:/t").Point.Propagation);
    }

    [Fact]
    public void A_lone_path_is_an_anonymous_volume()
    {
        var p = MountSpecs.ParseBind("/data").Point;
        Assert.Equal(("volume", "", false, true), (p.Type, p.Name, p.Named, p.CopyData));
    }

    [Theory]
    [InlineData("a:b:c:d", "invalid volume specification: 'a:b:c:d'")]
    [InlineData("data:/d:rw,ro", "invalid mode: rw,ro")]
    [InlineData("data:/d:bogus", "invalid mode: bogus")]
    [InlineData("data:rel", "invalid volume specification: 'data:rel': invalid mount config for type \"volume\": invalid mount path: 'rel' mount path must be absolute")]
    [InlineData("/h:/", "invalid volume specification: '/h:/': invalid mount config for type \"bind\": invalid specification: destination can't be '/'")]
    [InlineData("a/b:/d", "create a/b: \"a/b\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path")]
    [InlineData("x:/d", "create x: volume name is too short, names should be at least two alphanumeric characters")]
    public void Bad_v_strings_get_dockers_errors(string spec, string message)
    {
        var e = Assert.Throws<EngineException>(() => MountSpecs.ParseBind(spec));
        Assert.Equal(EngineErrorKind.InvalidParameter, e.Kind);
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void A_mount_bind_needs_an_existing_source()
    {
        var e = Assert.Throws<EngineException>(() => MountSpecs.ParseMount(new ContainerMount { Type = "bind", Source = "/nonexistent-berth-volume-test", Target = "/x" }));
        Assert.Equal("invalid mount config for type \"bind\": bind source path does not exist: /nonexistent-berth-volume-test", e.Message);
    }

    [Theory]
    [InlineData("tmpfs", "/src", null, "invalid mount config for type \"tmpfs\": field Source must not be specified")]
    [InlineData("volume", "vol", "", "invalid mount config for type \"volume\": field Target must not be empty")]
    [InlineData("volume", "vol", "rel", "invalid mount config for type \"volume\": invalid mount path: 'rel' mount path must be absolute")]
    [InlineData("bogus", "", "/x", "invalid mount config for type \"bogus\": mount type unknown")]
    [InlineData("bind", "", "/x", "invalid mount config for type \"bind\": field Source must not be empty")]
    public void Bad_mounts_get_dockers_errors(string type, string source, string? target, string message)
    {
        var e = Assert.Throws<EngineException>(() => MountSpecs.ParseMount(new ContainerMount { Type = type, Source = source, Target = target ?? "/x" }));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void A_mount_volume_carries_its_labels_options_and_nocopy()
    {
        var plan = MountSpecs.ParseMount(new ContainerMount
        {
            Type = "volume",
            Source = "cache",
            Target = "/cache",
            ReadOnly = true,
            VolumeOptions = new VolumeOptions
            {
                NoCopy = true,
                Labels = new() { ["a"] = "b" },
                DriverConfig = new MountDriver { Options = new() { ["type"] = "tmpfs", ["device"] = "tmpfs" } },
            },
        });
        Assert.Equal(("volume", "cache", false, false, true, ""), (plan.Point.Type, plan.Point.Name, plan.Point.RW, plan.Point.CopyData, plan.Point.Named, plan.Point.Mode));
        Assert.Equal("b", plan.Labels!["a"]);
        Assert.Equal("tmpfs", plan.DriverOptions!["type"]);
    }

    [Fact]
    public void A_tmpfs_mount_becomes_dockers_oci_options()
    {
        var plan = MountSpecs.ParseMount(new ContainerMount { Type = "tmpfs", Target = "/run/x", TmpfsOptions = new TmpfsOptions { SizeBytes = 64 << 20, Mode = Convert.ToUInt32("1770", 8) } });
        var mount = OciMounts.Of(plan.Point);
        Assert.Equal("tmpfs", mount.Type);
        Assert.Equal(["noexec", "nosuid", "nodev", "rprivate", "size=64m", "mode=1770"], mount.Options);
    }

    [Fact]
    public void A_readonly_volume_is_an_ro_rbind_of_its_data()
    {
        var mount = OciMounts.Of(new ContainerMountPoint { Type = "volume", Source = "/v/x/_data", Destination = "/d", RW = false });
        Assert.Equal(("bind", "/v/x/_data"), (mount.Type, mount.Source));
        Assert.Equal(["rbind", "ro", "rprivate"], mount.Options);
    }
}
