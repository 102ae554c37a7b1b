namespace Berth.Cli.Credentials;

/// <summary>
/// A credential store failed (a helper missing, failing or answering nonsense; config.json unwritable). The message is
/// docker's text. <see cref="Partial"/> is what a lookup still found beside the failure (the config.json entry of a
/// helper's registry), which docker sends with a pull when the helper fails.
/// </summary>
internal sealed class CredentialStoreException(string message, Exception? inner = null) : Exception(message, inner)
{
    public AuthEntry Partial { get; init; } = new();
}
