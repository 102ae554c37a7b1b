using System.Net.Sockets;
using System.Text;
using Berth.Engine.Shims;

namespace Berth.Shim;

/// <summary>The command line that starts a connection, and whatever the client sent after it (early stdin).</summary>
static class RequestLine
{
    /// <summary>Null when the client closed (or sent no newline within the limit).</summary>
    public static (string? Line, byte[] Early) Read(Socket connection)
    {
        var buffer = new byte[256];
        int filled = 0;
        while (filled < ShimProtocol.MaxLineLength)
        {
            if (filled == buffer.Length)
                Array.Resize(ref buffer, buffer.Length * 2);
            int n = connection.Receive(buffer.AsSpan(filled));
            if (n == 0)
                return (null, []);
            int newline = buffer.AsSpan(filled, n).IndexOf((byte)'\n');
            filled += n;
            if (newline >= 0)
            {
                int end = filled - n + newline;
                return (Encoding.UTF8.GetString(buffer, 0, end), buffer[(end + 1)..filled]);
            }
        }
        return (null, []);
    }
}
