using Berth.Cli.Credentials;

namespace Berth.Cli;

/// <summary>
/// The registry credentials of the client's config.json, as docker 28 uses them: looked up through the registry's
/// credential helper (credHelpers, else credsStore) or config.json's <c>auths</c>, and sent to the daemon with a pull or
/// push (X-Registry-Auth) or a build (X-Registry-Config). login and logout change them (Commands/RegistryCommands.Login.cs).
/// </summary>
internal static class RegistryAuths
{
    public const string DockerHubKey = RegistryAddress.DockerHub;

    /// <summary>The key of a registry in the stores: Docker Hub's URL, or the host as written.</summary>
    public static string KeyOf(string domain) => RegistryAddress.KeyOf(domain);

    public static ClientConfigFile Load(CliContext cli) => ClientConfigFile.Load(cli.Options.ConfigDirectory(cli), cli.Err, cli.Environment);

    /// <summary>
    /// The X-Registry-Auth header for <paramref name="domain"/>: base64url of its AuthConfig (<c>{}</c> when there is
    /// none). A helper that fails is no error, as in docker: what config.json has is sent instead (the helper's own
    /// complaint reaches stderr).
    /// </summary>
    public static string Header(CliContext cli, string domain) => Resolve(Load(cli), domain).ToHeader();

    /// <summary>The X-Registry-Config header of a build: every registry's AuthConfig by key, base64url JSON with the keys sorted (a Go map).</summary>
    public static string BuildHeader(CliContext cli)
    {
        var all = Load(cli).GetAllCredentials();
        var json = new System.Text.StringBuilder("{");
        foreach (var key in all.Keys.Order(StringComparer.Ordinal))
        {
            if (json.Length > 1)
                json.Append(',');
            GoJsonText.AppendString(json, key);
            json.Append(':');
            GoJsonText.AppendObject(json, all[key].Fields(), omitEmpty: true);
        }
        return AuthEntry.Base64Url(json.Append('}').ToString());
    }

    /// <summary>The user and password stored for <paramref name="domain"/>, if any (for clients of the registry itself: manifest inspect).</summary>
    public static (string User, string Password)? Find(CliContext cli, string domain)
        => Resolve(Load(cli), domain) is { Username.Length: > 0 } entry ? (entry.Username, entry.Password) : null;

    /// <summary>As <see cref="Find(CliContext, string)"/> for callers without the context: helpers found on this process's PATH.</summary>
    public static (string User, string Password)? Find(string configDirectory, string domain)
    {
        var environment = new Dictionary<string, string?> { ["PATH"] = Environment.GetEnvironmentVariable("PATH") };
        return Resolve(ClientConfigFile.Load(configDirectory, TextWriter.Null, environment), domain) is { Username.Length: > 0 } entry ? (entry.Username, entry.Password) : null;
    }

    static AuthEntry Resolve(ClientConfigFile config, string domain)
    {
        string key = KeyOf(domain);
        try
        {
            return config.StoreFor(key).Get(key);
        }
        catch (CredentialStoreException e)
        {
            return e.Partial;
        }
    }
}
