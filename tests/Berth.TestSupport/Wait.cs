using System.Diagnostics;

namespace Berth.TestSupport;

/// <summary>Polls a condition that a real process makes true eventually; the bound only guards against hanging.</summary>
public static class Wait
{
    public static void Until(Func<bool> condition, string what, TimeSpan? bound = null)
    {
        var limit = bound ?? TimeSpan.FromSeconds(30);
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > limit)
                Assert.Fail($"timed out waiting for {what}");
            Thread.Sleep(20);
        }
    }

    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? bound = null)
    {
        var limit = bound ?? TimeSpan.FromSeconds(30);
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > limit)
                Assert.Fail($"timed out waiting for {what}");
            await Task.Delay(20);
        }
    }
}
