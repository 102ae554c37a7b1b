namespace Berth.Runtime.Tests.Seccomp;

/// <summary>
/// Runs code on a new thread of its own, for loading a seccomp filter there: without TSYNC a filter applies
/// to the loading thread only, so the test runner's other threads stay unfiltered; the thread then ends.
/// </summary>
internal static class FilteredThread
{
    public static T Run<T>(Action load, Func<T> body) => Start(load, body).WaitAsync(TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();

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
