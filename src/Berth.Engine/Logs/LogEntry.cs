namespace Berth.Engine.Logs;

/// <summary>
/// One entry read back from a container's log: its source, its time (UTC) and its line, which ends with '\n' when
/// the container wrote one (partial pieces of a long line and an unterminated last line do not).
/// </summary>
public sealed record LogEntry(LogSource Source, DateTimeOffset Time, ReadOnlyMemory<byte> Line);

/// <summary>
/// What docker logs asks for. <see cref="Tail"/> counts entries from the end across rotated files before any other
/// filter, as dockerd does (stdout and stderr entries alike; null: all, 0: none of the existing ones).
/// <see cref="Since"/> keeps entries at or after it; <see cref="Until"/> ends the read at the first entry after it.
/// </summary>
public sealed record LogReadOptions(bool Stdout, bool Stderr, DateTimeOffset? Since, DateTimeOffset? Until, int? Tail, bool Follow);
