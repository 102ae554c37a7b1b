using Berth.Engine.Containers;
using Berth.Engine.Execs;
using Berth.Engine.Model;
using Berth.Engine.Streams;
using Berth.Linux;

namespace Berth.Engine.Health;

/// <summary>
/// One run of a container's health check: the command as an exec in the container (so it emits the
/// exec_create, exec_start and exec_die events Docker emits for probes), its output kept up to
/// <see cref="ProbeOutput.MaxLength"/>, and a run longer than the timeout killed and counted failed
/// with Docker's words (moby daemon/health.go cmdProbe).
/// </summary>
public sealed class HealthProbe(ExecService execs)
{
    /// <summary>How long a killed probe gets to end on its own, so that its exit is recorded as such.</summary>
    static readonly TimeSpan KillGrace = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Runs the check once. Errors of the engine (the container stopped or paused meanwhile) are the
    /// caller's to record; <paramref name="ct"/> kills the probe and throws.
    /// </summary>
    public async Task<HealthcheckResult> RunAsync(Container container, HealthSettings settings, CancellationToken ct)
    {
        var start = DateTimeOffset.Now;
        var exec = execs.Create(container, new ExecCreateRequest { Cmd = [.. settings.Command], AttachStdout = true, AttachStderr = true });
        try
        {
            var (stream, exit) = await execs.StartAsync(exec, ct);
            var process = (exec.Pid, Processes.StartTime(exec.Pid));
            var output = new ProbeOutput();
            await using (stream)
            {
                var copy = output.ReadAllAsync(new MultiplexedStreamReader(stream));
                if (!await EndsWithinAsync(copy, settings.Timeout, ct))
                {
                    Kill(exec, process);
                    ct.ThrowIfCancellationRequested();
                    await EndsWithinAsync(copy, KillGrace, CancellationToken.None);
                    string text = output.ToString();
                    string timedOut = $"Health check exceeded timeout ({GoDuration.Format(settings.Timeout)})";
                    return new HealthcheckResult { Start = start, End = DateTimeOffset.Now, ExitCode = -1, Output = text.Length > 0 ? $"{timedOut}: {text}" : timedOut };
                }
            }
            int code = await exit;
            return new HealthcheckResult { Start = start, End = DateTimeOffset.Now, ExitCode = code, Output = output.ToString() };
        }
        finally
        {
            execs.Forget(exec);
        }
    }

    /// <summary>True when the task ends within the bound; false when the bound or the token comes first.</summary>
    static async Task<bool> EndsWithinAsync(Task task, TimeSpan bound, CancellationToken ct)
    {
        try
        {
            await task.WaitAsync(bound, ct);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>SIGKILL to the probe's process, only while it is still that process (pids are reused, pid and start time are not).</summary>
    static void Kill(ExecRecord exec, (int Pid, ulong? StartTime) process)
    {
        if (exec.Running && process.Pid > 0 && process.StartTime is not null && Processes.StartTime(process.Pid) == process.StartTime)
            Processes.TryKill(process.Pid, Signals.SIGKILL);
    }
}
