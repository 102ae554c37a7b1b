using Berth.Cli.Client;

namespace Berth.Cli.Streams;

/// <summary>The CLI's detach keys (<see cref="Engine.Streams.DetachKeys"/>): refused keys are the command's error.</summary>
internal static class DetachSequence
{
    public static byte[] Parse(string? keys)
        => Engine.Streams.DetachKeys.TryParse(keys, out byte[] sequence) ? sequence : throw new CliException(Engine.Streams.DetachKeys.Invalid(keys));
}
