namespace Berth.Engine.Logs;

/// <summary>Which output of the container a log entry came from; the values are those of <see cref="Streams.StdStream"/>.</summary>
public enum LogSource
{
    Stdout = 1,
    Stderr = 2,
}
