using Berth.Oci.Runtime;
using Berth.TestSupport;
using OciMount = Berth.Oci.Runtime.Mount;

namespace Berth.Runtime.Tests.Comparison;

internal static partial class RunProbes
{
    const string DevListing =
        "find /dev -exec stat -c '%n %F %a %t,%T %u:%g' {} + | sort; for l in $(find /dev -type l | sort); do echo \"$l -> $(readlink $l)\"; done";

    // crun 1.8 differs from runc in mount details that berth follows runc in: it mounts the masked
    // paths before the read-only ones, masks files with the host's /dev/null (devtmpfs, then remounted
    // ro,relatime) instead of the container's, mounts the tmpfs under /sys/fs/cgroup with size=1024k,
    // the cgroup hierarchies in the reverse order and the masking tmpfs with size=0k, and its /sys
    // superblock says rw.
    const string CrunMountDetails = "crun's masking, cgroup tmpfs and mount order details differ from runc's";

    /// <summary>/dev, mounts, masked and read-only paths.</summary>
    static IEnumerable<RunProbe> FileSystem()
    {
        yield return new("the entries of /dev", DevListing)
        {
            // crun makes /dev/core -> /proc/kcore whatever the host has; runc (and berth) only when the
            // host has /proc/kcore, which this kernel does not. On a host with it the three agree.
            PeersDiffer = "crun always makes /dev/core",
            FollowRunc = true,
            Sanity = o => Assert.Contains("/dev/ptmx -> pts/ptmx", o),
        };

        yield return new("devices from the spec", DevListing)
        {
            Spec = s => s.Linux!.Devices =
            [
                new LinuxDevice { Path = "/dev/mydev", Type = "c", Major = 1, Minor = 5, FileMode = Convert.ToUInt32("640", 8), Uid = 0, Gid = 5 },
                new LinuxDevice { Path = "/dev/sub/blk", Type = "b", Major = 7, Minor = 0, FileMode = Convert.ToUInt32("600", 8) },
                new LinuxDevice { Path = "/dev/fifo", Type = "p", FileMode = Convert.ToUInt32("644", 8), Uid = 1000, Gid = 1000 },
            ],
            PeersDiffer = "crun always makes /dev/core",
            FollowRunc = true,
            Sanity = o => Assert.Contains("/dev/mydev character special file 640 1,5 0:5", o),
        };

        yield return new("the mount table of the default spec", "cat /proc/self/mountinfo")
        {
            Normalize = MountTable.Normalize,
            PeersDiffer = CrunMountDetails,
            FollowRunc = true,
            Sanity = o => Assert.Contains("/sys/fs/cgroup/memory ro,nosuid,nodev,noexec,relatime - cgroup", o),
        };

        yield return new("the spec's own mounts: binds, tmpfs, mqueue, a read-only /dev",
            "cat /proc/self/mountinfo; cat /data/f /file; touch /ro/x /t1/x /dev/x 2>&1; ls -ld /t1 /t2 /deep/er/path | awk '{print $1, $3, $4, $NF}'")
        {
            Prepare = OwnMounts,
            Normalize = MountTable.Normalize,
            PeersDiffer = CrunMountDetails,
            FollowRunc = true,
            Sanity = o => Assert.Contains("/t1/inner rw,relatime - tmpfs", o),
        };

        // runc 1.1.5 applies rootfsPropagation before pivot_root only, so the container's root
        // mount ends up private whatever is asked; crun (and runc 1.2) apply it to the new root
        // after pivot_root, recursively for the r-forms only. Berth follows crun and runc 1.2.
        foreach (string propagation in new[] { "shared", "rshared" })
        {
            yield return new($"rootfsPropagation {propagation}", "cat /proc/self/mountinfo")
            {
                Spec = s => s.Linux!.RootfsPropagation = propagation,
                Normalize = MountTable.Propagation,
                PeersDiffer = "runc 1.1.5 leaves the new root private",
                Sanity = o =>
                {
                    Assert.Contains("/ shared\n", o);
                    Assert.Contains(propagation == "shared" ? "/proc\n" : "/proc shared\n", o);
                },
            };
        }

        // runc cannot start with an unbindable "/": its bind of the rootfs onto itself fails with
        // EINVAL, and so does berth's; crun binds the rootfs before it changes "/".
        yield return new("rootfsPropagation unbindable", "cat /proc/self/mountinfo")
        {
            Spec = s => s.Linux!.RootfsPropagation = "unbindable",
            Normalize = MountTable.Propagation,
            PeersDiffer = "runc fails to bind the rootfs under an unbindable root, crun does not",
            FollowRunc = true,
            Sanity = o => Assert.Equal("exit=1\n", o),
        };

        yield return new("masked and read-only paths",
            """
            for p in /proc/kcore /proc/keys /proc/timer_list /proc/latency_stats /proc/sched_debug /proc/acpi /proc/asound /proc/scsi /sys/firmware; do
              if [ -d $p ]; then echo "$p dir $(ls -A $p | wc -l)"; elif [ -e $p ]; then echo "$p file $(head -c 100 $p | wc -c)"; else echo "$p absent"; fi
            done
            for p in /proc/bus /proc/fs /proc/irq /proc/sys /proc/sysrq-trigger; do awk -v p=$p '$5 == p {print p, $6}' /proc/self/mountinfo; done
            (echo probe > /proc/sys/kernel/hostname) 2>&1; cat /proc/sys/kernel/hostname
            """)
        {
            Sanity = o => Assert.Contains("/proc/keys file 0", o),
        };
    }

    /// <summary>Bind mounts of the bundle's own files and directories, tmpfs mounts with options, and a read-only /dev.</summary>
    static void OwnMounts(Bundle bundle)
    {
        string dir = Path.Combine(bundle.Path, "hostdir");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "f"), "from a bound directory\n");
        File.WriteAllText(Path.Combine(bundle.Path, "hostfile"), "from a bound file\n");
        bundle.Configure(s =>
        {
            s.Mounts!.Single(m => m.Destination == "/dev").Options!.Add("ro");
            s.Mounts!.AddRange(
            [
                new OciMount { Destination = "/data", Type = "bind", Source = dir, Options = ["rbind", "rw"] },
                new OciMount { Destination = "/ro", Type = "bind", Source = dir, Options = ["bind", "ro", "nosuid", "nodev"] },
                new OciMount { Destination = "/file", Type = "bind", Source = Path.Combine(bundle.Path, "hostfile"), Options = ["bind", "ro"] },
                new OciMount { Destination = "/t1", Type = "tmpfs", Source = "tmpfs", Options = ["ro", "size=1m", "mode=755"] },
                new OciMount { Destination = "/t1/inner", Type = "tmpfs", Source = "tmpfs", Options = ["size=1m"] },
                new OciMount { Destination = "/t2", Type = "tmpfs", Source = "tmpfs", Options = ["nosuid", "noexec", "nodev", "mode=1777", "uid=1000", "gid=1000"] },
                new OciMount { Destination = "/deep/er/path", Type = "tmpfs", Source = "tmpfs", Options = ["noatime"] },
                new OciMount { Destination = "/mq", Type = "mqueue", Source = "mqueue", Options = ["nosuid"] },
            ]);
        });
    }
}
