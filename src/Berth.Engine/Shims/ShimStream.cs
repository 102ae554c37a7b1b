using System.Net.Sockets;

namespace Berth.Engine.Shims;

/// <summary>An attach or exec stream on a shim's socket; <see cref="CloseWrite"/> ends the input while output still flows.</summary>
public sealed class ShimStream(Socket socket) : NetworkStream(socket, ownsSocket: true)
{
    /// <summary>Shuts down the sending side: the shim sees end of input (and closes the container's stdin if it should).</summary>
    public void CloseWrite()
    {
        try
        {
            Socket.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException)
        {
            // The shim has closed the connection already.
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
