using Berth.Engine.Shims;
using Berth.Linux;

namespace Berth.Shim;

/// <summary>The serving shim from start to exit: subreaper, socket, create, ready line, serve, record the exit.</summary>
static class ShimProcess
{
    public static int Run(ShimOptions options)
    {
        try
        {
            Processes.NewSession();
        }
        catch (LinuxException)
        {
            // Already a session leader (the launcher asked for a new session).
        }
        Processes.SetChildSubreaper();
        var reaper = new Reaper();
        reaper.Start();
        var runtime = new RuntimeCli(options, reaper);

        var server = ControlServer.Listen(ShimProtocol.SocketPath(options.StateDirectory));
        ShimContainer container;
        try
        {
            container = ShimContainer.Create(options, runtime, reaper);
        }
        catch (Exception e)
        {
            // Nothing may be left that a client could take for a live shim.
            server.Dispose();
            if (e is not CreateFailedException)
                ShimLog.Write($"create: {e}");
            Program.ReportReady(ShimFiles.ReadyErrorLine(e.Message));
            return 1;
        }
        server.Start(container);
        Program.ReportReady(ShimFiles.ReadyLine(container.Status.Pid));

        container.RunUntilExit();
        server.Stop(TimeSpan.FromSeconds(5));
        return 0;
    }
}
