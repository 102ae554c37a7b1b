using System.Net;
using System.Net.Sockets;
using System.Runtime.ExceptionServices;

namespace Berth.Linux.Net;

/// <summary>
/// Runs code on a thread of its own that ends when the code returns: the only safe place to change a
/// thread's namespaces in a .NET process, whose pooled threads must all stay where the process is.
/// </summary>
internal static class NamespaceThread
{
    public static T Run<T>(Func<T> body)
    {
        RuntimeThreads.Started();
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = body();
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
        })
        { IsBackground = true, Name = "berth-netns" };
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }

    /// <summary>
    /// The runtime starts its socket event thread and its thread pool lazily, from the thread that first needs them, and a
    /// new thread inherits its creator's namespaces. Were that first need inside a namespace thread (a daemon that restores
    /// a container's DNS sockets before it serves anything), every pooled thread would live in the container's namespace
    /// for good: the process' links, routes and sockets would be the container's, and the namespace would never end.
    /// So they are started here first, from the caller's thread, in the process' own namespace.
    /// </summary>
    static class RuntimeThreads
    {
        static RuntimeThreads()
        {
            using (var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
            {
                socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
                // An operation that waits registers the socket with the event thread, which starts it.
                var pending = socket.ReceiveAsync(new byte[1], SocketFlags.None);
                socket.Close();
                try
                {
                    pending.Wait();
                }
                catch (AggregateException)
                {
                    // Aborted by the close, as meant.
                }
            }
            Task.Run(static () => { }).Wait();
        }

        public static void Started()
        {
        }
    }
}
