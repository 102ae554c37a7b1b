namespace Berth.Engine.Logs;

/// <summary>A log configuration Docker refuses, or a log that cannot be read; the message is Docker's text for the case.</summary>
public sealed class LogConfigException(string message, Exception? inner = null) : Exception(message, inner);
