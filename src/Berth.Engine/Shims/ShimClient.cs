using System.Globalization;
using System.Net.Sockets;

namespace Berth.Engine.Shims;

/// <summary>
/// berthd's side of one container's shim (see <see cref="ShimProtocol"/>). Holds no connection:
/// every request opens its own to shim.sock, so a client is as good after a daemon restart
/// (<see cref="TryConnect"/>) as the one that spawned the shim.
/// </summary>
public sealed partial class ShimClient
{
    ShimClient(string stateDirectory, int pid, bool started)
    {
        StateDirectory = stateDirectory;
        Pid = pid;
        Started = started;
    }

    public string StateDirectory { get; }

    /// <summary>The container's init process: 0 until <see cref="StartAsync"/> (and when a reconnect found the container not running).</summary>
    public int Pid { get; private set; }

    /// <summary>The container was started: by <see cref="StartAsync"/>, or before a reconnect found it running or exited.</summary>
    public bool Started { get; private set; }

    /// <summary>
    /// Creates and starts the container (the shim's one runtime exec) and returns its init's pid.
    /// On the runtime's refusal throws <see cref="ShimException"/> (kind Runtime, the runtime's
    /// message); the shim has then cleaned up and exits.
    /// </summary>
    public async Task<int> StartAsync(CancellationToken ct)
    {
        using Socket socket = await ShimConnection.ConnectAsync(StateDirectory, ct);
        string pid = ShimConnection.ExpectOk(await ShimConnection.RequestAsync(socket, ShimProtocol.Start, ct), StateDirectory, ShimProtocol.Start);
        if (!int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value <= 0)
            throw new ShimException(ShimErrorKind.Protocol, $"unexpected reply to start from shim at {StateDirectory}: ok {pid}");
        Pid = value;
        Started = true;
        return value;
    }

    /// <summary>
    /// The container's stdio as a stream: output as the container writes it (Docker's multiplexed
    /// frames unless it has a tty), input to its stdin when <paramref name="stdin"/>. Ends when
    /// the container has exited; <see cref="ShimStream.CloseWrite"/> ends the input.
    /// </summary>
    public async Task<Stream> AttachAsync(bool stdin, bool stdout, bool stderr, CancellationToken ct)
    {
        string command = $"{ShimProtocol.Attach} stdin={ShimProtocol.Flag(stdin)} stdout={ShimProtocol.Flag(stdout)} stderr={ShimProtocol.Flag(stderr)}";
        var socket = await ShimConnection.ConnectAsync(StateDirectory, ct);
        try
        {
            ShimConnection.ExpectOk(await ShimConnection.RequestAsync(socket, command, ct), StateDirectory, command);
            return new ShimStream(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public Task ResizeAsync(int rows, int columns, CancellationToken ct)
        => CommandAsync(string.Create(CultureInfo.InvariantCulture, $"{ShimProtocol.Resize} {rows} {columns}"), ct);

    /// <summary>runtime kill: the signal to the init process, or with <paramref name="all"/> to every process of the container.</summary>
    public Task KillAsync(int signal, bool all, CancellationToken ct)
        => CommandAsync(string.Create(CultureInfo.InvariantCulture, $"{ShimProtocol.Kill} {signal}{(all ? " all" : "")}"), ct);

    /// <summary>
    /// Completes when the container has exited (its output drained, exit.json written, the runtime's
    /// state deleted). When the shim is gone, the exit it recorded; <see cref="ShimException"/> when
    /// there is none (the shim was killed).
    /// </summary>
    public async Task<ShimExit> WaitAsync(CancellationToken ct)
    {
        var (exit, deleted) = await WaitExitAsync(ct);
        await deleted.WaitAsync(ct);
        return exit;
    }

    /// <summary>
    /// Completes when the container has exited (its output drained, exit.json written), with a task
    /// that completes when the runtime has deleted it as well: the end of the shim's answer (a shim
    /// of an earlier version answers only then). When the shim is gone, the exit it recorded;
    /// <see cref="ShimException"/> when there is none (the shim was killed).
    /// </summary>
    public async Task<(ShimExit Exit, Task Deleted)> WaitExitAsync(CancellationToken ct)
    {
        Socket? socket = null;
        string? reply;
        try
        {
            socket = await ShimConnection.ConnectAsync(StateDirectory, ct);
            reply = await ShimConnection.RequestAsync(socket, ShimProtocol.Wait, ct);
        }
        catch (ShimException e) when (e.Kind == ShimErrorKind.Gone)
        {
            reply = null;
        }
        catch
        {
            socket?.Dispose();
            throw;
        }
        if (reply is not null && ShimProtocol.TryParseExit(reply, out var exit))
            return (exit, ShimConnection.WaitForEndAsync(socket!));
        socket?.Dispose();
        if (reply is null)
            return (ReadExit(StateDirectory)
                ?? throw new ShimException(ShimErrorKind.Gone, $"the shim at {StateDirectory} is gone and recorded no exit (it was killed)"), Task.CompletedTask);
        ShimConnection.ExpectOk(reply, StateDirectory, ShimProtocol.Wait);
        throw new ShimException(ShimErrorKind.Protocol, $"unexpected reply to wait from shim at {StateDirectory}: {reply}");
    }

    /// <summary>
    /// Runs a process in the container (runtime exec) described by an OCI process.json; its stdio is
    /// the returned stream, which ends when the process has exited (then <see cref="ReadExecExitCode"/>).
    /// </summary>
    public async Task<(int Pid, Stream Stream)> ExecAsync(string execId, bool tty, bool stdin, string processJsonPath, CancellationToken ct)
    {
        if (!ShimProtocol.IsValidExecId(execId))
            throw new ArgumentException($"exec id \"{execId}\" is not usable as a file name", nameof(execId));
        if (processJsonPath.Contains('\n') || processJsonPath.Contains(' '))
            throw new ArgumentException($"process.json path \"{processJsonPath}\" contains a space or newline", nameof(processJsonPath));
        string command = $"{ShimProtocol.Exec} {execId} tty={ShimProtocol.Flag(tty)} stdin={ShimProtocol.Flag(stdin)} {processJsonPath}";
        var socket = await ShimConnection.ConnectAsync(StateDirectory, ct);
        try
        {
            string pid = ShimConnection.ExpectOk(await ShimConnection.RequestAsync(socket, command, ct), StateDirectory, ShimProtocol.Exec);
            if (!int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out int value))
                throw new ShimException(ShimErrorKind.Protocol, $"unexpected reply to exec from shim at {StateDirectory}: ok {pid}");
            return (value, new ShimStream(socket));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public Task ExecResizeAsync(string execId, int rows, int columns, CancellationToken ct)
        => CommandAsync(string.Create(CultureInfo.InvariantCulture, $"{ShimProtocol.ExecResize} {execId} {rows} {columns}"), ct);

    /// <summary>An exec's exit code once its stream has ended; null while it runs or if it never started.</summary>
    public static int? ReadExecExitCode(string stateDirectory, string execId) => ShimFiles.ReadExecExit(stateDirectory, execId);

    /// <summary>The recorded exit of the container, null if it has not exited under a shim.</summary>
    public static ShimExit? ReadExit(string stateDirectory) => ShimFiles.ReadExit(stateDirectory);

    async Task CommandAsync(string command, CancellationToken ct)
    {
        using Socket socket = await ShimConnection.ConnectAsync(StateDirectory, ct);
        ShimConnection.ExpectOk(await ShimConnection.RequestAsync(socket, command, ct), StateDirectory, command.Split(' ')[0]);
    }
}
