namespace Berth.Engine.Streams;

/// <summary>A multiplexed stream that breaks the framing, or a daemon error sent in it (a <see cref="StdStream.SystemErr"/> frame).</summary>
public sealed class MultiplexedStreamException(string message) : Exception(message);
