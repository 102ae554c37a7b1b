namespace Berth.Cli.Credentials;

/// <summary>
/// Credentials kept by a credential helper, as docker's nativeStore: the secret goes to the helper, and config.json's
/// <c>auths</c> keeps an entry without it (<c>{}</c>, or the e-mail address older logins recorded) so that the file
/// still lists the registries one is logged in to.
/// </summary>
internal sealed class HelperCredentialStore(ClientConfigFile file, CredentialHelper helper, FileCredentialStore fileStore) : ICredentialStore
{
    public AuthEntry Get(string serverAddress)
    {
        var entry = fileStore.Get(serverAddress);
        AuthEntry found;
        try
        {
            found = FromHelper(serverAddress);
        }
        catch (CredentialStoreException e)
        {
            throw new CredentialStoreException(e.Message, e) { Partial = entry };
        }
        return entry with { Username = found.Username, Password = found.Password, IdentityToken = found.IdentityToken, ServerAddress = found.ServerAddress };
    }

    public IReadOnlyDictionary<string, AuthEntry> GetAll()
    {
        var all = new Dictionary<string, AuthEntry>(StringComparer.Ordinal);
        foreach (string registry in helper.List().Keys)
        {
            var found = FromHelper(registry);
            // Only the e-mail address comes from the file.
            var entry = file.Auths.TryGetValue(registry, out var kept) ? kept : new AuthEntry();
            entry = entry with { Username = found.Username, Password = found.Password, IdentityToken = found.IdentityToken };
            all[registry] = entry.ServerAddress.Length > 0 ? entry : entry with { ServerAddress = found.ServerAddress };
        }
        return all;
    }

    public void Store(AuthEntry entry)
    {
        if (entry.IdentityToken.Length > 0)
            helper.Store(entry.ServerAddress, CredentialHelper.TokenUsername, entry.IdentityToken);
        else
            helper.Store(entry.ServerAddress, entry.Username, entry.Password);
        fileStore.Store(entry with { Username = "", Password = "", IdentityToken = "" });
    }

    public void Erase(string serverAddress)
    {
        helper.Erase(serverAddress);
        fileStore.Erase(serverAddress);
    }

    /// <summary>The helper's credentials of <paramref name="serverAddress"/>: an identity token under "&lt;token&gt;", else user and password; empty when it has none.</summary>
    AuthEntry FromHelper(string serverAddress)
    {
        if (helper.Get(serverAddress) is not var (username, secret))
            return new AuthEntry();
        return username == CredentialHelper.TokenUsername
            ? new AuthEntry { IdentityToken = secret, ServerAddress = serverAddress }
            : new AuthEntry { Username = username, Password = secret, ServerAddress = serverAddress };
    }
}
