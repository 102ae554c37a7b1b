using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Berth.Bench.Network;

/// <summary>
/// The sending end of one measured stream: the container runs <see cref="ReceiverCommand"/>, a busybox
/// nc that hands every connection to dd (1 MiB reads: busybox nc itself copies in small chunks and would
/// measure itself), which answers "done" once it has read up to the sender's FIN. The time runs from the
/// connect to that answer, so every byte has reached the container's process.
/// </summary>
internal static class TcpStream
{
    public const int Port = 5001;

    const int Chunk = 1 << 20;

    /// <summary>Serves one connection after another (-ll), so one container takes all the iterations.</summary>
    public static readonly string[] ReceiverCommand = ["nc", "-ll", "-p", "5001", "-e", "sh", "-c", "dd of=/dev/null bs=1M 2>/dev/null; echo done"];

    /// <summary>Sends <paramref name="bytes"/> (nothing: a probe) and returns the throughput in MB/s (10^6 bytes).</summary>
    public static double Send(IPEndPoint target, long bytes)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(Chunk);
        try
        {
            var clock = Stopwatch.StartNew();
            using var socket = Connect(target);
            long left = bytes;
            while (left > 0)
            {
                int n = (int)Math.Min(left, Chunk);
                socket.Send(buffer.AsSpan(0, n));
                left -= n;
            }
            socket.Shutdown(SocketShutdown.Send);
            string answer = ReadAnswer(socket, buffer);
            double seconds = clock.Elapsed.TotalSeconds;
            if (answer != "done")
                throw new InvalidOperationException($"the receiver behind {target} answered \"{answer}\", not \"done\"");
            return bytes / seconds / 1e6;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>A connection to a receiver that may not listen yet (refused: its container is still starting).</summary>
    static Socket Connect(IPEndPoint target)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var socket = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { SendTimeout = 60_000, ReceiveTimeout = 60_000 };
            try
            {
                socket.Connect(target);
                return socket;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused && deadline.Elapsed < TimeSpan.FromSeconds(15))
            {
                socket.Dispose();
                Thread.Sleep(50);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
    }

    static string ReadAnswer(Socket socket, byte[] buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = socket.Receive(buffer, total, buffer.Length - total, SocketFlags.None);
            if (n == 0)
                break;
            total += n;
        }
        return Encoding.ASCII.GetString(buffer, 0, total).Trim();
    }
}
