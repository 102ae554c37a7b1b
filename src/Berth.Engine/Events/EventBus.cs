using System.Threading.Channels;

namespace Berth.Engine.Events;

/// <summary>
/// The engine's event stream: every event goes to each live subscriber and into a bounded history,
/// from which <c>since</c> replays (dockerd keeps the last 256 in memory too). Subscribers that fall
/// behind lose their oldest undelivered events instead of slowing the engine down.
/// </summary>
public sealed class EventBus
{
    const int HistoryLength = 1024;
    const int SubscriberBuffer = 4096;

    readonly Lock _lock = new();
    readonly Queue<EngineEvent> _history = new();
    readonly List<Channel<EngineEvent>> _subscribers = [];

    public int SubscriberCount
    {
        get
        {
            lock (_lock)
                return _subscribers.Count;
        }
    }

    public void Publish(EngineEvent e)
    {
        lock (_lock)
        {
            if (_history.Count == HistoryLength)
                _history.Dequeue();
            _history.Enqueue(e);
            foreach (var subscriber in _subscribers)
                subscriber.Writer.TryWrite(e);
        }
    }

    public void Publish(string type, string action, string actorId, IReadOnlyDictionary<string, string> attributes)
        => Publish(new EngineEvent(type, action, actorId, attributes, DateTimeOffset.UtcNow));

    /// <summary>
    /// The events at or after <paramref name="since"/> from the history (none when null), then every
    /// new one until <paramref name="ct"/> is cancelled. Nothing is lost between the two.
    /// </summary>
    public async IAsyncEnumerable<EngineEvent> Subscribe(DateTimeOffset? since, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var channel = Channel.CreateBounded<EngineEvent>(new BoundedChannelOptions(SubscriberBuffer)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        EngineEvent[] past;
        lock (_lock)
        {
            past = since is null ? [] : [.. _history.Where(e => e.Time >= since.Value)];
            _subscribers.Add(channel);
        }
        try
        {
            foreach (var e in past)
                yield return e;
            while (true)
            {
                EngineEvent next;
                try
                {
                    next = await channel.Reader.ReadAsync(ct);
                }
                catch (OperationCanceledException)
                {
                    yield break;
                }
                yield return next;
            }
        }
        finally
        {
            lock (_lock)
                _subscribers.Remove(channel);
        }
    }

    /// <summary>The history between two instants (for an events request with <c>until</c> in the past).</summary>
    public IReadOnlyList<EngineEvent> History(DateTimeOffset? since, DateTimeOffset until)
    {
        lock (_lock)
            return [.. _history.Where(e => (since is null || e.Time >= since.Value) && e.Time <= until)];
    }
}
