using System.Buffers;
using Berth.Engine.Streams;
using Berth.Linux;
using Microsoft.Win32.SafeHandles;

namespace Berth.Shim;

/// <summary>A thread that reads one output of a process (a pipe, or the pty master) to its end and hands every chunk to a router.</summary>
static class OutputPump
{
    /// <summary>32 KiB with the frame header: one pooled array per pump for the pump's whole life.</summary>
    const int BufferSize = 32 * 1024;

    public static Thread Start(string name, SafeFileHandle source, StdStream stream, OutputRouter router)
        => ShimThreads.Start(name, () => Pump(source, stream, router));

    static void Pump(SafeFileHandle source, StdStream stream, OutputRouter router)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            var space = buffer.AsSpan(OutputRouter.HeaderRoom, BufferSize - OutputRouter.HeaderRoom);
            while (true)
            {
                int n;
                try
                {
                    n = Files.Read(source, space);
                }
                catch (LinuxException e) when (e.Errno == Errno.EIO)
                {
                    // A pty master reads EIO once no process holds the terminal: its end of file.
                    n = 0;
                }
                if (n == 0)
                    break;
                router.Deliver(stream, buffer, n);
            }
        }
        finally
        {
            router.Complete(stream);
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
