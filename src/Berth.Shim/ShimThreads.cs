namespace Berth.Shim;

/// <summary>
/// The shim's threads: few, blocking, with small stacks (the shim lives as long as its container).
/// An exception that escapes a thread would end the process, and with it the container's stdio:
/// it is written to shim.log instead.
/// </summary>
static class ShimThreads
{
    /// <summary>Stacks of 256 KiB: the deepest call is a socket send, a log write or a runtime spawn.</summary>
    public const int StackSize = 256 * 1024;

    public static Thread Start(string name, Action body)
    {
        var thread = new Thread(() => Guarded(name, body), StackSize) { IsBackground = true, Name = name };
        thread.Start();
        return thread;
    }

    static void Guarded(string name, Action body)
    {
        try
        {
            body();
        }
        catch (Exception e)
        {
            ShimLog.Write($"{name}: {e}");
        }
    }
}
