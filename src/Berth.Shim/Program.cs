using Berth.Engine.Shims;
using Berth.Linux;
using Microsoft.Win32.SafeHandles;

namespace Berth.Shim;

/// <summary>
/// berth-shim: the parent of one container (see <see cref="ShimProtocol"/> for the contract with
/// berthd and <see cref="ShimCommandLine"/> for the flags). Run without --serve it is the
/// launcher: it starts itself again detached and exits.
/// </summary>
static class Program
{
    static int Main(string[] args)
    {
        string self = Environment.ProcessPath ?? "berth-shim";
        ShimOptions options;
        bool serve;
        try
        {
            (options, serve) = ShimCommandLine.Parse(args, self);
        }
        catch (ShimUsageException e)
        {
            ReportReady(ShimFiles.ReadyErrorLine($"berth-shim: {e.Message}"));
            return 2;
        }
        return serve ? Serve(options) : Launch(self, args);
    }

    /// <summary>
    /// Starts the real shim in a new session with the same stdout (the readiness pipe) and returns:
    /// berthd reaps this process at once, and the shim, orphaned, is adopted by init (or the
    /// nearest subreaper) — no longer a child of berthd, which may now exit or be killed.
    /// </summary>
    static int Launch(string self, string[] args)
    {
        try
        {
            using var devNull = Files.Open("/dev/null", OpenFlags.ReadWrite);
            int nul = (int)devNull.DangerousGetHandle();
            Processes.Spawn(new SpawnOptions
            {
                Path = self,
                Args = [self, ShimCommandLine.Serve, .. args],
                Files = new Dictionary<int, int> { [0] = nul, [1] = 1, [2] = nul },
                NewSession = true,
                // Holding no directory of berthd's (a mount it may want to remove).
                WorkingDirectory = "/",
            });
            return 0;
        }
        catch (LinuxException e)
        {
            ReportReady(ShimFiles.ReadyErrorLine($"start berth-shim: {e.Message}"));
            return 1;
        }
    }

    static int Serve(ShimOptions options)
    {
        using (var devNull = Files.Open("/dev/null", OpenFlags.ReadWrite))
        {
            Files.Duplicate((int)devNull.DangerousGetHandle(), 0);
            Files.Duplicate((int)devNull.DangerousGetHandle(), 2);
        }
        Directory.CreateDirectory(options.StateDirectory);
        ShimLog.Open(options.StateDirectory);
        try
        {
            return ShimProcess.Run(options);
        }
        catch (Exception e)
        {
            ShimLog.Write($"fatal: {e}");
            ReportReady(ShimFiles.ReadyErrorLine($"berth-shim: {e.Message}"));
            return 1;
        }
    }

    /// <summary>The one line on the readiness pipe (stdout), which is then closed (/dev/null over it).</summary>
    public static void ReportReady(byte[] line)
    {
        try
        {
            Files.WriteAll(new SafeFileHandle(1, ownsHandle: false), line);
        }
        catch (LinuxException)
        {
            // berthd is gone: nobody to tell.
        }
        using var devNull = Files.Open("/dev/null", OpenFlags.ReadWrite);
        Files.Duplicate((int)devNull.DangerousGetHandle(), 1);
    }
}
