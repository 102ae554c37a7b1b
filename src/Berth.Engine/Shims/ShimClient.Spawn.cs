using System.Globalization;
using System.Text;
using Berth.Linux;
using Microsoft.Win32.SafeHandles;

namespace Berth.Engine.Shims;

public sealed partial class ShimClient
{
    /// <summary>
    /// Starts a shim for the container and waits until it serves (the container is created and
    /// started only by <see cref="StartAsync"/>, after the attaches). The shim
    /// is this process's child (<see cref="ChildReaper"/> reaps it when it ends) but holds nothing of
    /// it once the readiness line has arrived: its own session, "/" as its directory, /dev/null as
    /// stdio. When this process ends, the shim is adopted by init (or a subreaper) and goes on. When
    /// the shim cannot serve throws <see cref="ShimException"/> (kind Runtime, its message) and the
    /// shim has exited.
    /// </summary>
    public static async Task<ShimClient> SpawnAsync(ShimOptions options, CancellationToken ct)
    {
        Directory.CreateDirectory(options.StateDirectory);
        var (readEnd, writeEnd) = Files.Pipe();
        using (writeEnd)
        using (var devNull = Files.Open("/dev/null", OpenFlags.ReadWrite))
        {
            int nul = (int)devNull.DangerousGetHandle();
            try
            {
                ChildReaper.Spawn(new SpawnOptions
                {
                    Path = options.ShimPath,
                    Args = [options.ShimPath, .. ShimCommandLine.Format(options)],
                    Files = new Dictionary<int, int> { [0] = nul, [1] = (int)writeEnd.DangerousGetHandle(), [2] = nul },
                    // Out of reach of signals to berthd's process group and terminal.
                    NewSession = true,
                    // Holding no directory of berthd's (a mount it may want to remove).
                    WorkingDirectory = "/",
                });
            }
            catch (LinuxException e)
            {
                readEnd.Dispose();
                throw new ShimException(ShimErrorKind.Protocol, e.Message, e);
            }
        }
        var line = Task.Factory.StartNew(() => ReadReadyLine(readEnd), CancellationToken.None,
            TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            await line.WaitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            // The shim goes on starting up; once it reports, end it so that it does not wait for a start for ever.
            _ = line.ContinueWith(t => EndIfReady(options.StateDirectory, t.Result), CancellationToken.None,
                TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            throw;
        }
        return FromReadyLine(options, await line);
    }

    /// <summary>
    /// A client for a shim that is already running (after a daemon restart): <see cref="Started"/>
    /// tells whether its container was started (running or exited) or still waits for its start
    /// (then <see cref="Pid"/> is 0). Null when none answers, or the one that does is ending with a
    /// container that never ran.
    /// </summary>
    public static ShimClient? TryConnect(string stateDirectory)
    {
        try
        {
            using var socket = ShimConnection.Connect(stateDirectory, TimeSpan.FromSeconds(10));
            string? reply = ShimConnection.Request(socket, ShimProtocol.State);
            var words = reply?.Split(' ') ?? [];
            return words switch
            {
                [ShimProtocol.Running, var pid] when int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out int p)
                    => new ShimClient(stateDirectory, p, started: true),
                [ShimProtocol.Exited, _] => new ShimClient(stateDirectory, 0, started: true),
                // A shim of an earlier version created the container at start-up: still, it was never started.
                [ShimProtocol.Waiting] or [ShimProtocol.Created, _] => new ShimClient(stateDirectory, 0, started: false),
                _ => null,
            };
        }
        catch (ShimException)
        {
            return null;
        }
    }

    static ShimClient FromReadyLine(ShimOptions options, string? line)
    {
        if (line is null)
            throw new ShimException(ShimErrorKind.Protocol, $"berth-shim for {options.Id} exited without reporting{ShimLogTail(options.StateDirectory)}");
        var (ready, error) = ShimFiles.ParseReadyLine(line);
        if (error is not null)
            throw new ShimException(ShimErrorKind.Runtime, error);
        if (!ready)
            throw new ShimException(ShimErrorKind.Protocol, $"berth-shim for {options.Id} reported \"{line}\"");
        return new ShimClient(options.StateDirectory, 0, started: false);
    }

    /// <summary>
    /// The line the shim writes when it is ready, read to the end of the pipe: the shim closes its end
    /// right after the line, so that on return it holds nothing of ours. Null when no line came.
    /// </summary>
    static string? ReadReadyLine(SafeFileHandle pipe)
    {
        using (pipe)
        {
            var text = new List<byte>(64);
            Span<byte> buffer = stackalloc byte[256];
            int n;
            while ((n = Files.Read(pipe, buffer)) > 0 && text.Count <= ShimProtocol.MaxLineLength)
                text.AddRange(buffer[..n]);
            int newline = text.IndexOf((byte)'\n');
            return newline < 0 ? null : Encoding.UTF8.GetString(text.ToArray(), 0, newline);
        }
    }

    static void EndIfReady(string stateDirectory, string? line)
    {
        if (line is null || !ShimFiles.ParseReadyLine(line).Ready)
            return;
        try
        {
            using var socket = ShimConnection.Connect(stateDirectory, TimeSpan.FromSeconds(10));
            ShimConnection.Request(socket, $"{ShimProtocol.Kill} {Signals.SIGKILL} all");
        }
        catch (ShimException)
        {
        }
    }

    static string ShimLogTail(string stateDirectory)
    {
        try
        {
            string text = File.ReadAllText(Path.Combine(stateDirectory, ShimProtocol.ShimLogName)).Trim();
            return text.Length == 0 ? "" : ": " + (text.Length > 1000 ? text[^1000..] : text);
        }
        catch (IOException)
        {
            return "";
        }
    }
}
