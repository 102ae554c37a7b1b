using Berth.Linux;
using Microsoft.Win32.SafeHandles;

namespace Berth.Shim;

/// <summary>
/// The write side of a container's (or exec's) stdin, shared by every connection that writes to
/// it. Ending it is what the process sees as end of input; on a terminal there is nothing to
/// close (the master is also the output), so <see cref="EndInput"/> does nothing there.
/// </summary>
/// <param name="handle">A pipe's write end (owned), or the pty master (owned by <see cref="ProcessIo"/>).</param>
sealed class ProcessStdin(SafeFileHandle handle, bool isTerminal)
{
    readonly Lock _gate = new();
    bool _closed;

    /// <summary>Writes all of <paramref name="data"/>; false when the process no longer reads (closed, or gone).</summary>
    public bool Write(ReadOnlySpan<byte> data)
    {
        lock (_gate)
        {
            if (_closed)
                return false;
            try
            {
                Files.WriteAll(handle, data);
                return true;
            }
            catch (LinuxException)
            {
                // EPIPE: the reader is gone.
                return false;
            }
        }
    }

    /// <summary>End of input (Docker's StdinOnce, an exec's client done writing): closes the pipe.</summary>
    public void EndInput()
    {
        if (!isTerminal)
            Close();
    }

    /// <summary>No more writes, ever (the process has exited); closes the pipe, leaves a terminal's master to its owner.</summary>
    public void Close()
    {
        lock (_gate)
        {
            if (_closed)
                return;
            _closed = true;
            if (!isTerminal)
                handle.Dispose();
        }
    }
}
