using Berth.TestSupport;

namespace Berth.Runtime.Tests.Comparison;

/// <summary>
/// berth-runtime beside the two runtimes it is compared with, runc and crun from Debian's packages,
/// each with a private state root. A missing runc or crun fails the test with the package to install.
/// Dispose force-deletes every container any of them created.
/// </summary>
internal sealed class Peers : IDisposable
{
    readonly List<OciRuntimeCli> _all = [];

    public Peers()
    {
        try
        {
            _all.Add(OciRuntimeCli.Berth());
            _all.Add(OciRuntimeCli.Runc());
            _all.Add(OciRuntimeCli.Crun());
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public OciRuntimeCli Berth => _all[0];

    public OciRuntimeCli Runc => _all[1];

    public OciRuntimeCli Crun => _all[2];

    /// <summary>
    /// Does the same thing with each runtime, the three at once (each with its own bundle and ids),
    /// and returns what each saw, in the order berth, runc, crun.
    /// </summary>
    public Observations Each(Func<OciRuntimeCli, string> observe)
    {
        // A thread each: the work blocks on child processes, and the thread pool of a two-CPU
        // machine would start the third only after its injection delay.
        var tasks = _all.Select(r => Task.Factory.StartNew(() => observe(r), TaskCreationOptions.LongRunning)).ToArray();
        try
        {
            Task.WaitAll(tasks);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            // The first failure as it was thrown (an Assert.Fail naming the runtime and command).
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
        return new Observations(tasks[0].Result, tasks[1].Result, tasks[2].Result);
    }

    /// <summary>The three clean up at once: each force-deletes its ids one after the other.</summary>
    public void Dispose()
        => Task.WaitAll([.. _all.Select(r => Task.Factory.StartNew(r.Dispose, TaskCreationOptions.LongRunning))]);
}
