namespace Berth.Runtime.Tests.Comparison;

internal static partial class RunProbes
{
    // crun words a failed start in its own way ("executable file `x` not found in $PATH", "open
    // executable: Permission denied") with the same exit status; berth uses runc's words, which
    // containerd and Podman show to users.
    const string CrunWords = "crun words start errors its own way";

    /// <summary>args[0] as runc resolves it: PATH, a relative path from cwd, missing, a directory, not executable.</summary>
    static IEnumerable<RunProbe> Start()
    {
        yield return new("args[0] not found in PATH", "") { Args = ["no-such-program"], PeersDiffer = CrunWords, FollowRunc = true };
        yield return new("args[0] an absolute path that does not exist", "") { Args = ["/no/such/program"], PeersDiffer = CrunWords, FollowRunc = true };
        yield return new("args[0] a directory", "") { Args = ["/etc"], PeersDiffer = CrunWords, FollowRunc = true };
        yield return new("args[0] a file without an execute bit", "") { Args = ["/etc/passwd"], PeersDiffer = CrunWords, FollowRunc = true };
        yield return new("args[0] relative to the working directory", "")
        {
            Args = ["./sh", "-c", "echo ran from $PWD"],
            Spec = s => s.Process!.Cwd = "/bin",
            Sanity = o => Assert.StartsWith("ran from /bin\n", o),
        };
    }
}
