using System.Buffers;
using System.Net.Sockets;
using Berth.Engine.Shims;

namespace Berth.Shim;

sealed partial class ShimContainer
{
    static readonly byte[] OkLine = "ok\n"u8.ToArray();

    /// <summary>
    /// Replies ok and makes the connection an output target (before the start too: it gets the
    /// output from the first byte); then, when it writes to stdin, forwards its bytes until it ends
    /// its writing (which closes the container's stdin under --stdin-once). Bytes written before
    /// the start wait in the connection until the container runs. A container without stdin (or
    /// one that never starts) gets nothing: the bytes are read and dropped, as Docker does.
    /// The router owns the connection from here on (it closes it after the container's exit).
    /// </summary>
    public void Attach(Socket connection, bool stdin, bool stdout, bool stderr, ReadOnlySpan<byte> early)
    {
        _router.Add(new OutputTarget(connection, stdout, stderr), OkLine);
        if (!stdin)
            return;
        // The container's stdin exists once it runs (a terminal's comes with the start).
        Status.WaitSettled();
        ForwardInput(connection, _io.Stdin, early, endInputAtEnd: _options.StdinOnce);
    }

    /// <summary>Copies the connection's bytes to a process's stdin (if any) until the connection's input ends.</summary>
    static void ForwardInput(Socket connection, ProcessStdin? input, ReadOnlySpan<byte> early, bool endInputAtEnd)
    {
        bool writable = input is not null && (early.IsEmpty || input.Write(early));
        byte[] buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            while (true)
            {
                int n;
                try
                {
                    n = connection.Receive(buffer);
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException)
                {
                    n = 0;
                }
                if (n == 0)
                    break;
                // Once the process has stopped reading, the rest is read and dropped: the client must not block.
                writable = writable && input!.Write(buffer.AsSpan(0, n));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        if (endInputAtEnd)
            input?.EndInput();
    }
}
