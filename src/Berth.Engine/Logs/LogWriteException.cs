namespace Berth.Engine.Logs;

/// <summary>
/// Entries that could not be written to the log file (a full disk, a removed directory). The writer stays usable:
/// it carries on with the next entries, as dockerd does after logging such an error.
/// </summary>
public sealed class LogWriteException(string path, int droppedEntries, Exception inner)
    : Exception($"error writing log entry to {path} ({droppedEntries} entries dropped): {inner.Message}", inner)
{
    public string Path { get; } = path;

    public int DroppedEntries { get; } = droppedEntries;
}
