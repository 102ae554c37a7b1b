using System.Net.Sockets;
using Berth.Linux;
using Microsoft.Win32.SafeHandles;

namespace Berth.Shim;

/// <summary>
/// The --console-socket of runtime run/create/exec: the runtime connects and sends the pty master
/// (SCM_RIGHTS). The runtime's connect and send complete into the backlog, so the master is
/// taken after the runtime has exited, without a thread waiting for it.
/// </summary>
sealed class ConsoleSocket : IDisposable
{
    readonly Socket _listener;

    ConsoleSocket(string path, Socket listener)
    {
        Path = path;
        _listener = listener;
    }

    public string Path { get; }

    public static ConsoleSocket Listen(string path)
    {
        File.Delete(path);
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(path));
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            listener.Listen(1);
            return new ConsoleSocket(path, listener);
        }
        catch
        {
            listener.Dispose();
            throw;
        }
    }

    /// <summary>The master the runtime sent, or null when it sent none.</summary>
    public SafeFileHandle? TakeMaster()
    {
        _listener.Blocking = false;
        Socket connection;
        try
        {
            connection = _listener.Accept();
        }
        catch (SocketException)
        {
            return null;
        }
        using (connection)
        {
            connection.Blocking = true;
            var (_, fds) = UnixSockets.ReceiveFds(new SafeFileHandle(connection.Handle, ownsHandle: false), maxFds: 1);
            if (fds.Length == 0)
                return null;
            Files.SetNonBlocking((int)fds[0].DangerousGetHandle(), false);
            return fds[0];
        }
    }

    public void Dispose()
    {
        _listener.Dispose();
        File.Delete(Path);
    }
}
