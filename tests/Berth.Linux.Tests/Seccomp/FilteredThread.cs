using Berth.Linux.Seccomp;

namespace Berth.Linux.Tests.Seccomp;

/// <summary>
/// Loads a filter into a new thread of its own and runs code there. Without TSYNC a seccomp filter applies
/// to the loading thread only, so the test runner's other threads stay unfiltered; the thread then ends.
/// </summary>
internal static class FilteredThread
{
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static T Run<T>(SeccompContext filter, Func<T> body) => Run(filter.Load, body);

    /// <summary>Runs <paramref name="load"/> then <paramref name="body"/> on a new thread and waits; rethrows what either throws.</summary>
    public static T Run<T>(Action load, Func<T> body)
    {
        var task = Start(load, body);
        if (!task.Wait(Timeout))
            throw new TimeoutException("the filtered thread did not finish");
        return task.Result;
    }

    /// <summary>Like <see cref="Run{T}(Action, Func{T})"/>, without waiting.</summary>
    public static Task<T> Start<T>(Action load, Func<T> body)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                load();
                done.SetResult(body());
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        })
        { IsBackground = true, Name = "seccomp-test" };
        thread.Start();
        return done.Task;
    }
}
