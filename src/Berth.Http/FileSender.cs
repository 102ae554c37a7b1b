using System.Net.Sockets;

namespace Berth.Http;

/// <summary>
/// A range of a file onto a socket with <see cref="Socket.SendPacketsAsync(SocketAsyncEventArgs)"/>, which .NET does
/// with sendfile(2) on Linux: no copy through user space. The connection's abort (disposing the socket) ends a send
/// in progress with an error.
/// </summary>
internal static class FileSender
{
    /// <summary>SendPacketsElement counts in int: larger ranges go in pieces.</summary>
    const int MaxPiece = 1 << 30;

    public static async Task SendAsync(Socket socket, FileStream file, long offset, long length)
    {
        using var args = new SocketAsyncEventArgs();
        var done = new AwaitableCompletion();
        args.Completed += (_, _) => done.Signal();
        for (long left = length; left > 0;)
        {
            int piece = (int)Math.Min(left, MaxPiece);
            args.SendPacketsElements = [new SendPacketsElement(file, offset, piece)];
            done.Reset();
            if (!socket.SendPacketsAsync(args))
                done.Signal();
            await done.Task.ConfigureAwait(false);
            if (args.SocketError != SocketError.Success)
                throw new IOException($"sending the file: {args.SocketError}", new SocketException((int)args.SocketError));
            // A file shorter than announced: the response cannot be ended correctly, the connection must go.
            if (args.BytesTransferred != piece)
                throw new IOException($"the file ended {left - args.BytesTransferred} bytes before the {length} announced");
            offset += piece;
            left -= piece;
        }
    }

    sealed class AwaitableCompletion
    {
        TaskCompletionSource _source = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Task => _source.Task;

        public void Reset() => _source = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Signal() => _source.TrySetResult();
    }
}
