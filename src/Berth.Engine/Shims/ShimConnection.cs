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
            var line = new List<byte>(64);
            var one = new byte[1];
            while (line.Count < ShimProtocol.MaxLineLength)
            {
                if (socket.Receive(one) == 0)
                    return null;
                if (one[0] == (byte)'\n')
                    return Encoding.UTF8.GetString(line.ToArray());
                line.Add(one[0]);
            }
            return null;
        }
        catch (SocketException)
        {
            return null;
        }
    }

    /// <summary>
    /// Reads up to the newline one byte at a time: for attach and exec the stream starts right
    /// after it, and those bytes belong to the caller.
    /// </summary>
    static async Task<string?> ReadLineAsync(Socket socket, CancellationToken ct)
    {
        var line = new List<byte>(64);
        var one = new byte[1];
        while (line.Count < ShimProtocol.MaxLineLength)
        {
            if (await socket.ReceiveAsync(one, SocketFlags.None, ct) == 0)
                return null;
            if (one[0] == (byte)'\n')
                return Encoding.UTF8.GetString(line.ToArray());
            line.Add(one[0]);
        }
        throw new ShimException(ShimErrorKind.Protocol, $"shim reply longer than {ShimProtocol.MaxLineLength} bytes");
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
