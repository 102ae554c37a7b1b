using System.Net.Sockets;
using Berth.Engine.Streams;

namespace Berth.Shim;

/// <summary>A connection that receives a process's output (an attacher, an exec's client), with the streams it asked for.</summary>
sealed class OutputTarget(Socket connection, bool stdout, bool stderr)
{
    public bool Wants(StdStream stream) => stream == StdStream.Stderr ? stderr : stdout;

    /// <summary>Sends all of <paramref name="data"/>, blocking while the client is slow (Docker's back-pressure); false when it is gone.</summary>
    public bool TrySend(ReadOnlySpan<byte> data)
    {
        try
        {
            while (!data.IsEmpty)
                data = data[connection.Send(data)..];
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>Ends the stream: the client reads end of file (and a thread reading the connection wakes up).</summary>
    public void Close()
    {
        try
        {
            connection.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
        connection.Dispose();
    }
}
