namespace Berth.Engine.Events;

/// <summary>
/// One event as Docker reports it: what kind of object (container, image, network, volume, daemon),
/// the action ("create", "die", "exec_start: sh -c ...", "health_status: healthy"), the object's ID
/// and attributes (name, image, labels, exitCode, ...).
/// </summary>
public sealed record EngineEvent(string Type, string Action, string ActorId, IReadOnlyDictionary<string, string> Attributes, DateTimeOffset Time)
{
    /// <summary>The first word of the action: what <c>event=</c> filters match ("exec_start", not "exec_start: sh").</summary>
    public string ActionName => Action.IndexOf(':') is var colon and > 0 ? Action[..colon] : Action;
}
