using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Berth.Engine.Shims;
using Berth.Linux;

namespace Berth.Shim;

/// <summary>
/// shim.sock: one thread accepts, one thread per connection reads its command line and answers
/// it (the protocol is documented on <see cref="ShimProtocol"/>). The socket appears under its
/// name only once it listens, with mode 0600 (bound under a temporary name, then renamed).
/// </summary>
sealed class ControlServer : IDisposable
{
    /// <summary>How long a client may take to send its command line.</summary>
    const int CommandTimeoutMs = 30_000;

    readonly Socket _listener;
    readonly string _path;
    readonly object _connectionsGate = new();
    int _connections;
    volatile bool _stopping;

    ControlServer(Socket listener, string path)
    {
        _listener = listener;
        _path = path;
    }

    /// <summary>
    /// Fails when another shim serves at <paramref name="path"/>; removes a dead one's socket. Checked
    /// before anything is made: a live shim's container is not this shim's to create or delete.
    /// </summary>
    public static void ClaimPath(string path)
    {
        if (!File.Exists(path))
            return;
        if (Answers(path))
            throw new IOException($"{path}: another shim is serving this state directory");
        File.Delete(path);
    }

    /// <summary>Listens at <paramref name="path"/>, claimed by <see cref="ClaimPath"/>.</summary>
    public static ControlServer Listen(string path)
    {
        string temporary = path + ".tmp";
        File.Delete(temporary);
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(temporary));
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            listener.Listen(64);
            File.Move(temporary, path);
            return new ControlServer(listener, path);
        }
        catch
        {
            listener.Dispose();
            File.Delete(temporary);
            throw;
        }
    }

    public void Start(ShimContainer container) => ShimThreads.Start("accept", () => AcceptLoop(container));

    /// <summary>Removes the socket, stops accepting, and gives the connections in flight (waiters being answered) a moment to finish.</summary>
    public void Stop(TimeSpan grace)
    {
        _stopping = true;
        File.Delete(_path);
        _listener.Dispose();
        var deadline = DateTime.UtcNow + grace;
        lock (_connectionsGate)
            while (_connections > 0 && DateTime.UtcNow < deadline)
                Monitor.Wait(_connectionsGate, deadline - DateTime.UtcNow);
    }

    public void Dispose() => Withdraw();

    /// <summary>Stops accepting and removes the socket: no client finds this shim any more.</summary>
    void Withdraw()
    {
        _stopping = true;
        _listener.Dispose();
        File.Delete(_path);
    }

    void AcceptLoop(ShimContainer container)
    {
        while (!_stopping)
        {
            Socket connection;
            try
            {
                connection = _listener.Accept();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                if (_stopping)
                    return;
                continue;
            }
            lock (_connectionsGate)
                _connections++;
            ShimThreads.Start("connection", () =>
            {
                try
                {
                    Serve(connection, container);
                }
                finally
                {
                    lock (_connectionsGate)
                    {
                        _connections--;
                        Monitor.PulseAll(_connectionsGate);
                    }
                }
            });
        }
    }

    void Serve(Socket connection, ShimContainer container)
    {
        bool handedOver = false;
        try
        {
            connection.ReceiveTimeout = CommandTimeoutMs;
            var (line, early) = RequestLine.Read(connection);
            connection.ReceiveTimeout = 0;
            if (line is null)
                return;
            try
            {
                handedOver = Dispatch(connection, container, line.Split(' '), early);
            }
            catch (CommandException e)
            {
                Reply(connection, $"{ShimProtocol.Error} {OneLine(e.Message)}");
            }
            catch (Exception e) when (e is not SocketException)
            {
                // A fault of the shim's, not the client's: answered all the same, and noted.
                ShimLog.Write($"{line}: {e}");
                Reply(connection, $"{ShimProtocol.Error} {OneLine(e.Message)}");
            }
        }
        catch (SocketException)
        {
            // The client went away.
        }
        finally
        {
            if (!handedOver)
                connection.Dispose();
        }
    }

    /// <summary>Runs one command; true when the connection now belongs to an output router (attach, exec).</summary>
    bool Dispatch(Socket connection, ShimContainer container, string[] words, byte[] early)
    {
        switch (words[0])
        {
            case ShimProtocol.Start when words.Length == 1:
                Reply(connection, string.Create(CultureInfo.InvariantCulture, $"{ShimProtocol.Ok} {StartContainer(container)}"));
                return false;
            case ShimProtocol.State when words.Length == 1:
                Reply(connection, container.Status.Describe());
                return false;
            case ShimProtocol.Wait when words.Length == 1:
                // A container that never ran has no exit: the reply says why instead.
                Reply(connection, container.Status.WaitExit() is { } exit ? ShimProtocol.FormatExit(exit) : container.Status.Describe());
                // The connection ends once the runtime has deleted the container.
                container.Status.WaitDeleted();
                return false;
            case ShimProtocol.Kill when words.Length is 2 or 3 && (words.Length == 2 || words[2] == "all"):
                if (!Signals.TryParse(words[1], out int signal))
                    throw new CommandException($"invalid signal {words[1]}");
                container.Kill(signal, all: words.Length == 3);
                Reply(connection, ShimProtocol.Ok);
                return false;
            case ShimProtocol.Resize when words.Length == 3:
                container.Resize(Size(words[1]), Size(words[2]));
                Reply(connection, ShimProtocol.Ok);
                return false;
            case ShimProtocol.ExecResize when words.Length == 4:
                container.ExecResize(words[1], Size(words[2]), Size(words[3]));
                Reply(connection, ShimProtocol.Ok);
                return false;
            case ShimProtocol.Attach when words.Length == 4
                && ShimProtocol.TryParseFlag(words[1], "stdin", out bool stdin)
                && ShimProtocol.TryParseFlag(words[2], "stdout", out bool stdout)
                && ShimProtocol.TryParseFlag(words[3], "stderr", out bool stderr):
                container.Attach(connection, stdin, stdout, stderr, early);
                return true;
            case ShimProtocol.Exec when words.Length == 5
                && ShimProtocol.TryParseFlag(words[2], "tty", out bool tty)
                && ShimProtocol.TryParseFlag(words[3], "stdin", out bool execStdin):
                container.Exec(connection, words[1], tty, execStdin, words[4], early);
                return true;
            default:
                throw new CommandException($"unknown command: {string.Join(' ', words)}");
        }
    }

    /// <summary>
    /// The start's pid. A refused start is answered only once the socket is gone too: the runtime
    /// has left nothing, and the client, which removes the state directory next, finds nothing of
    /// the shim's either.
    /// </summary>
    int StartContainer(ShimContainer container)
    {
        try
        {
            return container.Start();
        }
        catch (StartFailedException e)
        {
            Withdraw();
            throw new CommandException(e.Message);
        }
    }

    static ushort Size(string word)
        => ushort.TryParse(word, out ushort value) ? value : throw new CommandException($"invalid terminal size {word}");

    static void Reply(Socket connection, string line)
    {
        var bytes = Encoding.UTF8.GetBytes(line + "\n");
        var data = bytes.AsSpan();
        while (!data.IsEmpty)
            data = data[connection.Send(data)..];
    }

    static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();

    static bool Answers(string path)
    {
        try
        {
            using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            probe.Connect(new UnixDomainSocketEndPoint(path));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
