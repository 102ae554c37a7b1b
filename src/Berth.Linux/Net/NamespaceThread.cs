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
}
