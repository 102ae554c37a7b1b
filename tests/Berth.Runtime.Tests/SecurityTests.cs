using System.Security.Cryptography;
using Berth.TestSupport;

namespace Berth.Runtime.Tests;

/// <summary>
/// The escapes runc has had: the host's runtime binary overwritten through /proc/PID/exe
/// (CVE-2019-5736) and a descriptor leaked into the container used as its working directory
/// (CVE-2024-21626).
/// </summary>
public sealed class SecurityTests : IDisposable
{
    readonly OciRuntimeCli _runtime = OciRuntimeCli.Berth();

    [Fact]
    public void Init_runs_from_a_sealed_memfd_and_the_container_cannot_reach_the_host_binary()
    {
        string binary = RepoPaths.Executable("berth-runtime");
        byte[] before = SHA256.HashData(File.ReadAllBytes(binary));
        using var bundle = Bundle.Create("exe", "sleep", "1000");
        File.WriteAllText(Path.Combine(bundle.Rootfs, "evil"), "#!/proc/self/exe\n");
        File.SetUnixFileMode(Path.Combine(bundle.Rootfs, "evil"), (UnixFileMode)Convert.ToInt32("755", 8));
        string id = _runtime.Track(TestIds.New("exe"));
        _runtime.Create(bundle, id);
        int pid = System.Text.Json.JsonDocument.Parse(_runtime.State(id)).RootElement.GetProperty("pid").GetInt32();

        // The attack of CVE-2019-5736 from the host side, with root's powers: hold /proc/PID/exe of
        // the runtime's process, wait until it is gone, then write through what was held.
        using var held = Berth.Linux.Files.Open($"/proc/{pid}/exe", Berth.Linux.OpenFlags.Path);

        // From inside, the waiting init (non-dumpable) cannot be opened through /proc.
        var probe = _runtime.Invoke("exec", id, "sh", "-c", "readlink /proc/1/exe || echo hidden; (echo x >> /proc/1/exe) 2>/dev/null && echo WROTE || echo refused");
        Assert.Contains("hidden", probe.Stdout);
        Assert.Contains("refused", probe.Stdout);
        Assert.DoesNotContain("WROTE", probe.Stdout);

        // A program whose interpreter is /proc/self/exe runs the runtime's protected copy, not the host file.
        _runtime.Invoke("exec", id, "/evil");
        _runtime.Invoke("delete", "--force", id).EnsureSuccess("delete");
        int errno = Berth.Linux.Files.TryOpen(Berth.Linux.Files.ProcPath(held), Berth.Linux.OpenFlags.WriteOnly | Berth.Linux.OpenFlags.Append, out var writable);
        if (writable is not null)
        {
            using (writable)
                Assert.ThrowsAny<Exception>(() => Berth.Linux.Files.WriteAll(writable, "overwritten"u8));
        }
        else
            Assert.True(errno != 0);
        Assert.Equal(before, SHA256.HashData(File.ReadAllBytes(binary)));
    }

    [Fact]
    public void No_runtime_descriptor_leaks_into_the_container()
    {
        string output = Probe.Run(_runtime, "ls /proc/self/fd");
        var fds = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToList();
        Assert.Equal([0, 1, 2], fds.Where(fd => fd < 3).ToList());
        Assert.True(fds.Count(fd => fd >= 3) <= 1, $"only ls's own directory descriptor may be open, saw {output.Replace('\n', ' ')}");
    }

    [Fact]
    public void A_leaked_descriptor_cannot_be_used_as_the_working_directory()
    {
        // Whatever the init has open at that moment, a cwd through /proc/self/fd/N either fails
        // or lands inside the container: never in the host's tree (which has /work, the image has not).
        int refused = 0;
        for (int fd = 3; fd <= 12; fd++)
        {
            using var bundle = Bundle.Create("cwd", "sh", "-c", "pwd; ls ../../../../../");
            bundle.Configure(s => s.Process!.Cwd = $"/proc/self/fd/{fd}");
            var result = _runtime.Run(bundle);
            if (result.ExitCode != 0)
            {
                refused++;
                Assert.Contains("cwd", result.Stderr);
                continue;
            }
            Assert.DoesNotContain("unreachable", result.Stdout);
            Assert.DoesNotContain("work", result.Stdout.Split('\n'));
            Assert.Contains("busybox", string.Join(' ', Directory.GetFiles(Path.Combine(bundle.Rootfs, "bin")).Select(Path.GetFileName)));
        }
        Assert.True(refused > 0, "descriptors that are not directories inside the root must be refused");
        Assert.Empty(Directory.GetDirectories(_runtime.Root));
    }

    [Fact]
    public void Preserved_descriptors_are_passed_and_nothing_else()
    {
        using var bundle = Bundle.Create("fds", "sh", "-c", "ls /proc/self/fd | tr '\\n' ' '; cat <&3");
        string id = _runtime.Track(TestIds.New("fds"));
        string file = Path.Combine(bundle.Path, "passed");
        File.WriteAllText(file, "through fd 3");
        var result = ProcessRunner.Run("/bin/sh", ["-c", $"exec 3<{file}; exec \"$0\" --root \"$1\" run --preserve-fds 1 --bundle \"$2\" \"$3\"",
            RepoPaths.Executable("berth-runtime"), _runtime.Root, bundle.Path, id]);
        result.EnsureSuccess("run --preserve-fds 1");
        Assert.StartsWith("0 1 2 3 ", result.Stdout);
        Assert.EndsWith("through fd 3", result.Stdout);
    }

    public void Dispose() => _runtime.Dispose();
}
