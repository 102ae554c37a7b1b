namespace Berth.Cli.Credentials;

/// <summary>
/// Where the credentials of registries are kept (docker's credentials.Store): config.json's <c>auths</c>
/// (<see cref="FileCredentialStore"/>) or a credential helper beside it (<see cref="HelperCredentialStore"/>).
/// Keys are what docker keys them by: Docker Hub's "https://index.docker.io/v1/", else the registry's host[:port].
/// </summary>
internal interface ICredentialStore
{
    /// <summary>The credentials under <paramref name="serverAddress"/>; an empty entry when there are none.</summary>
    /// <exception cref="CredentialStoreException"/>
    AuthEntry Get(string serverAddress);

    /// <exception cref="CredentialStoreException"/>
    IReadOnlyDictionary<string, AuthEntry> GetAll();

    /// <summary>Keeps <paramref name="entry"/> under its <see cref="AuthEntry.ServerAddress"/>.</summary>
    /// <exception cref="CredentialStoreException"/>
    void Store(AuthEntry entry);

    /// <summary>Forgets <paramref name="serverAddress"/>; nothing to forget is no failure.</summary>
    /// <exception cref="CredentialStoreException"/>
    void Erase(string serverAddress);
}
