using System.Net.Sockets;
using System.Text;

namespace Berth.Engine.Shims;

/// <summary>One command to a shim: a connection to its socket, the command line out, the reply line in.</summary>
internal static class ShimConnection
{
    public static async Task<Socket> ConnectAsync(string stateDirectory, CancellationToken ct)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(ShimProtocol.SocketPath(stateDirectory)), ct);
            return socket;
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw Gone(stateDirectory, e);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public static Socket Connect(string stateDirectory, TimeSpan timeout)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
        {
            ReceiveTimeout = (int)timeout.TotalMilliseconds,
            SendTimeout = (int)timeout.TotalMilliseconds,
        };
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(ShimProtocol.SocketPath(stateDirectory)));
            return socket;
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw Gone(stateDirectory, e);
        }
    }

    /// <summary>Sends the command and returns the reply line; null when the shim closed the connection first (it is exiting).</summary>
    public static async Task<string?> RequestAsync(Socket socket, string command, CancellationToken ct)
    {
        try
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(command + "\n"), SocketFlags.None, ct);
            return await ReadLineAsync(socket, ct);
        }
        catch (SocketException)
        {
            return null;
        }
    }

    public static string? Request(Socket socket, string command)
    {
        try
        {
            socket.Send(Encoding.UTF8.GetBytes(command + "\n"));
            var line = new LineReader();
            while (true)
            {
                int seen = socket.Receive(line.Buffer, SocketFlags.Peek);
                if (seen == 0)
                    return null;
                int take = line.Measure(seen);
                if (socket.Receive(line.Buffer, 0, take, SocketFlags.None) != take)
                    return null;
                if (line.Take(take) is { } text)
                    return text;
            }
        }
        catch (Exception e) when (e is SocketException or ShimException)
        {
            return null;
        }
    }

    /// <summary>
    /// Reads up to the newline and not beyond: for attach and exec the stream starts right after it, and those bytes
    /// belong to the caller. What has arrived is peeked at, and exactly the line taken (two reads, not one per byte).
    /// </summary>
    static async Task<string?> ReadLineAsync(Socket socket, CancellationToken ct)
    {
        var line = new LineReader();
        while (true)
        {
            int seen = await socket.ReceiveAsync(line.Buffer, SocketFlags.Peek, ct);
            if (seen == 0)
                return null;
            int take = line.Measure(seen);
            if (await socket.ReceiveAsync(line.Buffer.AsMemory(0, take), SocketFlags.None, ct) != take)
                return null;
            if (line.Take(take) is { } text)
                return text;
        }
    }

    /// <summary>A reply line gathered from peeked-then-taken chunks of a socket.</summary>
    sealed class LineReader
    {
        List<byte>? _line;

        public byte[] Buffer { get; } = new byte[512];

        /// <summary>How many of the <paramref name="seen"/> peeked bytes to take: up to the newline, or all.</summary>
        public int Measure(int seen)
        {
            int newline = Buffer.AsSpan(0, seen).IndexOf((byte)'\n');
            return newline >= 0 ? newline + 1 : seen;
        }

        /// <summary>Adds the bytes taken; the line once its newline came.</summary>
        public string? Take(int taken)
        {
            bool complete = Buffer[taken - 1] == (byte)'\n';
            if (complete && _line is null)
                return Encoding.UTF8.GetString(Buffer, 0, taken - 1);   // the usual reply: one chunk
            _line ??= new List<byte>(2 * Buffer.Length);
            _line.AddRange(Buffer.AsSpan(0, complete ? taken - 1 : taken));
            if (_line.Count > ShimProtocol.MaxLineLength)
                throw new ShimException(ShimErrorKind.Protocol, $"shim reply longer than {ShimProtocol.MaxLineLength} bytes");
            return complete ? Encoding.UTF8.GetString([.. _line]) : null;
        }
    }

    /// <summary>The payload of an <c>ok</c> reply ("" for a bare ok); an <c>error</c> reply as the runtime's message.</summary>
    public static string ExpectOk(string? reply, string stateDirectory, string command)
    {
        if (reply is null)
            throw new ShimException(ShimErrorKind.Gone, $"shim at {stateDirectory} closed the connection before answering {command} (the container has exited)");
        if (reply == ShimProtocol.Ok)
            return "";
        if (reply.StartsWith(ShimProtocol.Ok + " ", StringComparison.Ordinal))
            return reply[(ShimProtocol.Ok.Length + 1)..];
        if (reply.StartsWith(ShimProtocol.Error + " ", StringComparison.Ordinal))
            throw new ShimException(ShimErrorKind.Runtime, reply[(ShimProtocol.Error.Length + 1)..]);
        throw new ShimException(ShimErrorKind.Protocol, $"unexpected reply to {command} from shim at {stateDirectory}: {reply}");
    }

    /// <summary>Completes (never failing) when the shim ends the connection; then disposes it.</summary>
    public static async Task WaitForEndAsync(Socket socket)
    {
        using (socket)
        {
            var buffer = new byte[64];
            try
            {
                while (await socket.ReceiveAsync(buffer, SocketFlags.None) > 0)
                {
                }
            }
            catch (SocketException)
            {
                // Ended all the same.
            }
        }
    }

    static ShimException Gone(string stateDirectory, Exception inner)
        => new(ShimErrorKind.Gone, $"no shim at {stateDirectory}: {inner.Message}", inner);
}
