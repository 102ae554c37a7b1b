namespace Berth.Runtime.Containers;

/// <summary>The flags of `create` and `run`.</summary>
internal sealed class CreateOptions
{
    public required string Id { get; init; }

    public string? Bundle { get; init; }

    public string? PidFile { get; init; }

    public string? ConsoleSocket { get; init; }

    public bool NoPivot { get; init; }

    public bool NoNewKeyring { get; init; }

    public int PreserveFds { get; init; }

    /// <summary>Set by `run` in the foreground with a terminal: the runtime makes the pty itself.</summary>
    public Microsoft.Win32.SafeHandles.SafeFileHandle? ConsoleSocketHandle { get; init; }
}
