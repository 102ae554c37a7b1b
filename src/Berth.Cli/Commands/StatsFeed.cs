using System.Diagnostics;
using System.Text;
using Berth.Cli.Client;
using Berth.Cli.Output;
using Berth.Engine.Model;

namespace Berth.Cli.Commands;

/// <summary>
/// One container's stats as docker stats follows them (its collect): one request to the daemon, streamed or not,
/// whose samples become the container's line. An error keeps the last values but shows "--"; no sample for two
/// seconds shows an empty line of "--" until the next one comes.
/// </summary>
internal sealed class StatsFeed(string container)
{
    /// <summary>How long docker stats waits for a sample before it shows the container as missing.</summary>
    public static readonly TimeSpan SampleTimeout = TimeSpan.FromSeconds(2);

    readonly TaskCompletionSource _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly CancellationTokenSource _stop = new();
    readonly Stopwatch _sinceSample = Stopwatch.StartNew();
    StatsEntry _entry = new(container);
    string? _error;
    bool _final;

    /// <summary>The name or ID it was asked for (docker's Container field).</summary>
    public string Container => container;

    /// <summary>Completes with the first sample or error, or after <see cref="SampleTimeout"/>.</summary>
    public Task First => _first.Task.WaitAsync(SampleTimeout).ContinueWith(_ => { }, TaskScheduler.Default);

    /// <summary>Why its line shows "--" (docker's text), or null.</summary>
    public string? Error
    {
        get
        {
            lock (_stop)
                return _error ?? (TimedOut ? "timeout waiting for stats" : null);
        }
    }

    /// <summary>What its line shows now.</summary>
    public StatsEntry Entry
    {
        get
        {
            lock (_stop)
            {
                if (_error is not null)
                    return _entry with { IsInvalid = true };
                return TimedOut ? new StatsEntry(container) { IsInvalid = true } : _entry;
            }
        }
    }

    /// <summary>Waiting for a sample longer than docker waits (never after the one sample of --no-stream).</summary>
    bool TimedOut => !_final && _sinceSample.Elapsed > SampleTimeout;

    public void Start(DaemonClient client, bool stream) => _ = RunAsync(client, stream);

    public void Stop() => _stop.Cancel();

    async Task RunAsync(DaemonClient client, bool stream)
    {
        try
        {
            var query = new Query().Add("stream", stream ? "1" : "0");
            using var response = await client.SendAsync("GET", "/containers/" + Query.PathSegment(container) + "/stats", query, ct: _stop.Token).ConfigureAwait(false);
            using var reader = new StreamReader(response.Body, Encoding.UTF8);
            while (await reader.ReadLineAsync(_stop.Token).ConfigureAwait(false) is { } line)
            {
                if (line.Trim().Length == 0)
                    continue;
                var sample = DaemonClientTyped.Decode(Encoding.UTF8.GetBytes(line), DockerJson.Default.ContainerStats);
                lock (_stop)
                {
                    _entry = StatsEntry.From(container, sample);
                    _error = null;
                    _final = !stream;
                    _sinceSample.Restart();
                }
                _first.TrySetResult();
                if (!stream)
                    return;
            }
            Fail("EOF");
        }
        catch (OperationCanceledException)
        {
            // Stopped: the container went away from the list.
        }
        catch (Exception e) when (e is DaemonException or DaemonUnreachableException or CliException or IOException)
        {
            Fail(e.Message);
        }
    }

    void Fail(string message)
    {
        lock (_stop)
            _error = message;
        _first.TrySetResult();
    }
}
