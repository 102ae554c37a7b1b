namespace Berth.Cli.Credentials;

/// <summary>
/// Credentials in config.json's <c>auths</c> (base64 user:password), as docker's fileStore keeps them. A store that
/// changes nothing does not rewrite the file, and storing a password warns once that it is kept unencrypted.
/// </summary>
internal sealed class FileCredentialStore(ClientConfigFile file, TextWriter warnings) : ICredentialStore
{
    public AuthEntry Get(string serverAddress)
    {
        if (file.Auths.TryGetValue(serverAddress, out var entry))
            return entry;
        // Keys written by older clients as URLs ("https://host/v1/") still count for their host.
        foreach (var (key, legacy) in file.Auths)
            if (RegistryAddress.ConvertToHostname(key) == serverAddress)
                return legacy;
        return new AuthEntry();
    }

    public IReadOnlyDictionary<string, AuthEntry> GetAll() => new Dictionary<string, AuthEntry>(file.Auths, StringComparer.Ordinal);

    public void Store(AuthEntry entry)
    {
        if (file.Auths.TryGetValue(entry.ServerAddress, out var old) && old == entry)
            return;
        file.Auths[entry.ServerAddress] = entry;
        file.Save();
        if (entry.Password.Length > 0 && !file.WarnedUnencrypted)
        {
            file.WarnedUnencrypted = true;
            warnings.Write($"\nWARNING! Your credentials are stored unencrypted in '{file.Filename}'.\n"
                + "Configure a credential helper to remove this warning. See\nhttps://docs.docker.com/go/credential-store/\n\n");
        }
    }

    public void Erase(string serverAddress)
    {
        if (file.Auths.Remove(serverAddress))
            file.Save();
    }
}
