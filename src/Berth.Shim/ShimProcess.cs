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
            // Already a session leader (berthd started it in a new session).
        }
        Processes.SetChildSubreaper();
        var reaper = new Reaper();
        reaper.Start();
        var runtime = new RuntimeCli(options, reaper);

        string socket = ShimProtocol.SocketPath(options.StateDirectory);
        ControlServer? server = null;
        ShimContainer container;
        try
        {
            ControlServer.ClaimPath(socket);
            // The control socket is made while the runtime creates the container: its first socket
            // costs this process milliseconds (.NET's socket engine) that would delay the runtime.
            container = ShimContainer.Create(options, runtime, reaper, () => server = ControlServer.Listen(socket));
        }
        catch (Exception e)
        {
            // Nothing may be left that a client could take for a live shim.
            server?.Dispose();
            if (e is not CreateFailedException)
                ShimLog.Write($"create: {e}");
            Program.ReportReady(ShimFiles.ReadyErrorLine(e.Message));
            return 1;
        }
        server!.Start(container);
        Program.ReportReady(ShimFiles.ReadyLine(container.Status.Pid));

        container.RunUntilExit();
        server.Stop(TimeSpan.FromSeconds(5));
        return 0;
    }
}
