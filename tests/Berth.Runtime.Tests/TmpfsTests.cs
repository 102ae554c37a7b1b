using Berth.Linux;
using Berth.Oci.Runtime;
using Berth.TestSupport;

namespace Berth.Runtime.Tests;

/// <summary>
/// tmpfs mounts as runc makes them, compared with runc itself: over an existing directory the
/// tmpfs takes its mode, and with runc's "tmpcopyup" extension (what Podman sets on --tmpfs and on
/// --read-only's /run, /tmp and /var/tmp) it starts with a copy of the directory's content.
/// </summary>
public sealed class TmpfsTests : IDisposable
{
    readonly OciRuntimeCli _berth = OciRuntimeCli.Berth();
    readonly OciRuntimeCli _runc = OciRuntimeCli.Runc();

    const string Script =
        "stat -c '%n %a %u:%g %F' /data /data/file /data/sub /data/link /run /fresh; " +
        "cat /data/file; readlink /data/link; ls /etc/passwd; touch /etc/x 2>/dev/null || echo etc-read-only; " +
        "touch /data/new && echo data-writable";

    [Fact]
    public void Tmpfs_mounts_keep_the_covered_mode_and_copy_up_the_content_as_runc_does()
    {
        string berth = Run(_berth), runc = Run(_runc);
        Assert.Contains("/data/file 4750 1:2 regular file", runc);
        Assert.Contains("etc-read-only", runc);
        Assert.Equal(runc, berth);
    }

    static string Run(OciRuntimeCli runtime)
    {
        using var bundle = Bundle.Create("tmpfs", "sh", "-c", Script);
        string data = Path.Combine(bundle.Rootfs, "data");
        Directory.CreateDirectory(Path.Combine(data, "sub"));
        File.WriteAllText(Path.Combine(data, "file"), "copied up\n");
        File.CreateSymbolicLink(Path.Combine(data, "link"), "file");
        ProcessRunner.Run("/bin/chown", ["1:2", Path.Combine(data, "file")]).EnsureSuccess("chown");
        File.SetUnixFileMode(Path.Combine(data, "file"), (UnixFileMode)FileModes.Octal(4750));
        File.SetUnixFileMode(Path.Combine(data, "sub"), (UnixFileMode)FileModes.Octal(700));
        File.SetUnixFileMode(data, (UnixFileMode)FileModes.Octal(750));
        bundle.Configure(s =>
        {
            s.Mounts!.Add(new Mount { Destination = "/data", Type = "tmpfs", Source = "tmpfs", Options = ["rw", "nodev", "tmpcopyup"] });
            s.Mounts.Add(new Mount { Destination = "/etc", Type = "tmpfs", Source = "tmpfs", Options = ["ro", "nosuid", "tmpcopyup"] });
            s.Mounts.Add(new Mount { Destination = "/run", Type = "tmpfs", Source = "tmpfs", Options = ["nosuid", "nodev"] });
            s.Mounts.Add(new Mount { Destination = "/fresh", Type = "tmpfs", Source = "tmpfs", Options = ["nosuid", "nodev"] });
        });
        var result = runtime.Run(bundle);
        result.EnsureSuccess($"{runtime.Name} run with tmpfs mounts");
        return result.Stdout;
    }

    public void Dispose()
    {
        _berth.Dispose();
        _runc.Dispose();
    }
}
