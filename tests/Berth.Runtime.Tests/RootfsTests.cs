using Berth.Oci.Runtime;
using Berth.TestSupport;

namespace Berth.Runtime.Tests;

/// <summary>The container's file system: pivot_root, mounts of every kind, devices, masked and read-only paths.</summary>
public sealed class RootfsTests : IDisposable
{
    readonly OciRuntimeCli _runtime = OciRuntimeCli.Berth();

    [Fact]
    public void The_root_is_the_bundle_rootfs_and_the_host_is_out_of_reach()
    {
        string marker = TestIds.New("host-marker");
        File.WriteAllText(Path.Combine("/tmp", marker), "host");
        try
        {
            string output = Probe.Run(_runtime, $"ls /bin/busybox; ls /tmp/{marker} 2>&1 || echo absent; grep -c ' / ' /proc/self/mountinfo");
            Assert.Contains("/bin/busybox", output);
            Assert.Contains("absent", output);
        }
        finally
        {
            File.Delete(Path.Combine("/tmp", marker));
        }
    }

    [Fact]
    public void No_pivot_uses_chroot_and_still_runs()
    {
        using var bundle = Bundle.Create("nopivot", "sh", "-c", "ls /bin/busybox");
        string id = _runtime.Track(TestIds.New("nopivot"));
        var result = _runtime.Invoke("run", "--no-pivot", "--bundle", bundle.Path, id);
        result.EnsureSuccess("run --no-pivot");
        Assert.Equal("/bin/busybox\n", result.Stdout);
    }

    [Fact]
    public void A_readonly_root_refuses_writes_and_a_writable_one_accepts_them()
    {
        Assert.Contains("Read-only file system", Probe.Run(_runtime, "touch /x 2>&1 || true"));
        Assert.Equal("ok\n", Probe.Run(_runtime, "touch /x && echo ok", s => s.Root!.Readonly = false));
    }

    [Fact]
    public void Bind_mounts_tmpfs_and_options_are_applied()
    {
        string shared = Path.Combine(Path.GetTempPath(), TestIds.New("bind"));
        Directory.CreateDirectory(shared);
        File.WriteAllText(Path.Combine(shared, "from-host"), "hello");
        try
        {
            string output = Probe.Run(_runtime,
                "cat /data/from-host; echo; touch /data/x 2>&1 | grep -o Read-only; " +
                "echo rw > /rw/file && cat /rw/file; grep ' /scratch ' /proc/self/mountinfo | grep -o 'tmpfs tmpfs rw,size=1024k'",
                s =>
                {
                    s.Mounts!.Add(new Mount { Destination = "/data", Type = "bind", Source = shared, Options = ["rbind", "ro"] });
                    s.Mounts.Add(new Mount { Destination = "/rw", Type = "bind", Source = shared, Options = ["bind", "rw"] });
                    s.Mounts.Add(new Mount { Destination = "/scratch", Type = "tmpfs", Source = "tmpfs", Options = ["nosuid", "size=1m"] });
                });
            Assert.Equal("hello\nRead-only\nrw\ntmpfs tmpfs rw,size=1024k\n", output);
            Assert.Equal("rw\n", File.ReadAllText(Path.Combine(shared, "file")));
        }
        finally
        {
            Directory.Delete(shared, recursive: true);
        }
    }

    [Fact]
    public void Default_devices_and_dev_symlinks_exist_with_runc_modes()
    {
        string output = Probe.Run(_runtime, "for d in null zero full random urandom tty; do stat -c '%n %F %a %t,%T' /dev/$d; done; for l in fd stdin ptmx; do readlink /dev/$l; done");
        Assert.Contains("/dev/null character special file 666 1,3", output);
        Assert.Contains("/dev/zero character special file 666 1,5", output);
        Assert.Contains("/dev/full character special file 666 1,7", output);
        Assert.Contains("/dev/random character special file 666 1,8", output);
        Assert.Contains("/dev/urandom character special file 666 1,9", output);
        Assert.Contains("/dev/tty character special file 666 5,0", output);
        Assert.Contains("/proc/self/fd\n/proc/self/fd/0\npts/ptmx", output);
    }

    [Fact]
    public void Spec_devices_are_created_with_their_mode_and_owner()
    {
        string output = Probe.Run(_runtime, "stat -c '%F %a %u %g %t,%T' /dev/mydev", s =>
            s.Linux!.Devices = [new LinuxDevice { Path = "/dev/mydev", Type = "c", Major = 1, Minor = 3, FileMode = Convert.ToUInt32("640", 8), Uid = 1, Gid = 5 }]);
        Assert.Equal("character special file 640 1 5 1,3\n", output);
    }

    [Fact]
    public void Masked_paths_are_empty_and_readonly_paths_refuse_writes()
    {
        // /proc/keys and /proc/timer_list are masked files (bound /dev/null), /proc/acpi a masked directory.
        string output = Probe.Run(_runtime, "wc -c < /proc/keys; wc -c < /proc/timer_list; ls /proc/acpi | wc -l; (echo 1 > /proc/sys/kernel/panic) 2>&1 | grep -o Read-only");
        Assert.Equal("0\n0\n0\nRead-only\n", output);
        Assert.NotEmpty(File.ReadAllText("/proc/timer_list")); // on the host it has content
    }

    [Fact]
    public void Proc_sys_and_cgroup_mounts_are_there()
    {
        // mountinfo: the mount point is field 5, the type is the first field after " - ".
        string output = Probe.Run(_runtime, "sed 's/ - / /' /proc/self/mountinfo | awk '{ for (i = 7; i <= NF; i++) if ($i !~ /:/) { print $5, $i; break } }'");
        Assert.Contains("/proc proc", output);
        Assert.Contains("/sys sysfs", output);
        Assert.Contains("/dev tmpfs", output);
        Assert.Contains("/dev/pts devpts", output);
        Assert.Contains("/dev/shm tmpfs", output);
        Assert.Contains("/dev/mqueue mqueue", output);
        Assert.Contains("/sys/fs/cgroup", output);
    }

    [Fact]
    public void A_symlink_in_the_image_cannot_lead_a_mount_outside_the_rootfs()
    {
        string outside = Path.Combine(Path.GetTempPath(), TestIds.New("outside"));
        Directory.CreateDirectory(outside);
        try
        {
            using var bundle = Bundle.Create("escape", "sh", "-c", "ls /escape");
            // The image's /escape points at a host directory; the mount must land inside the rootfs.
            File.CreateSymbolicLink(Path.Combine(bundle.Rootfs, "escape"), outside);
            bundle.Configure(s => s.Mounts!.Add(new Mount { Destination = "/escape", Type = "tmpfs", Source = "tmpfs" }));
            _runtime.Run(bundle).EnsureSuccess("run");
            Assert.False(Directory.EnumerateFileSystemEntries(outside).Any());
            Assert.DoesNotContain(File.ReadAllLines("/proc/self/mountinfo"), l => l.Contains(outside));
            Assert.True(Directory.Exists(Path.Combine(bundle.Rootfs, outside.TrimStart('/'))), "the symlink resolved inside the rootfs");
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
        }
    }

    [Fact]
    public void Rootfs_propagation_shared_is_applied()
    {
        string output = Probe.Run(_runtime, "awk '$5 == \"/\"' /proc/self/mountinfo | grep -o 'shared:[0-9]*' | head -1 | cut -d: -f1",
            s => s.Linux!.RootfsPropagation = "rshared");
        Assert.Equal("shared\n", output);
    }

    public void Dispose() => _runtime.Dispose();
}
