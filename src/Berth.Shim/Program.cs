using Berth.Engine.Shims;
using Berth.Linux;
using Microsoft.Win32.SafeHandles;

namespace Berth.Shim;

/// <summary>
/// berth-shim: the parent of one container (see <see cref="ShimProtocol"/> for the contract with
/// berthd and <see cref="ShimCommandLine"/> for the flags).
/// </summary>
static class Program
{
    static int Main(string[] args)
    {
        ShimOptions options;
        try
        {
            options = ShimCommandLine.Parse(args, Environment.ProcessPath ?? "berth-shim");
        }
        catch (ShimUsageException e)
        {
            ReportReady(ShimFiles.ReadyErrorLine($"berth-shim: {e.Message}"));
            return 2;
        }
        return Serve(options);
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
