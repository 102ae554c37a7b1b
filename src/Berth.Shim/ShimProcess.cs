using Berth.Engine.Shims;
using Berth.Linux;

namespace Berth.Shim;

/// <summary>The serving shim from start to exit: subreaper, stdio, socket, ready line, serve (start, run), record the exit.</summary>
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
            // Already a session leader (berthd started it in a new session).
        }
        Processes.SetChildSubreaper();
        var reaper = new Reaper();
        reaper.Start();
        var runtime = new RuntimeCli(options, reaper);

        string socket = ShimProtocol.SocketPath(options.StateDirectory);
        ShimContainer container;
        ControlServer? server = null;
        try
        {
            // Claimed before anything is made: a live shim's state directory is not this shim's.
            ControlServer.ClaimPath(socket);
            server = ControlServer.Listen(socket);
            container = ShimContainer.Prepare(options, runtime, reaper);
        }
        catch (Exception e)
        {
            // Nothing may be left that a client could take for a live shim.
            server?.Dispose();
            ShimLog.Write($"start-up: {e}");
            Program.ReportReady(ShimFiles.ReadyErrorLine(e.Message));
            return 1;
        }
        server.Start(container);
        // The container does not exist yet: berthd connects its attachers, then says start.
        Program.ReportReady(ShimFiles.ReadyLine());

        bool ran = container.RunToEnd();
        server.Stop(TimeSpan.FromSeconds(5));
        return ran || container.Status.Phase == ContainerPhase.Ended ? 0 : 1;
    }
}
