namespace Berth.Engine.Streams;

/// <summary>The stream byte of a multiplexed frame header (Docker's stdcopy.StdType).</summary>
public enum StdStream : byte
{
    Stdin = 0,
    Stdout = 1,
    Stderr = 2,

    /// <summary>An error of the daemon itself, sent in the stream instead of container output.</summary>
    SystemErr = 3,
}
