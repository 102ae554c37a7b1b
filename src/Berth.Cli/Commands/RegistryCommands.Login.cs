using System.Text;
using Berth.Cli.Client;
using Berth.Cli.CommandLine;
using Berth.Cli.Credentials;

namespace Berth.Cli.Commands;

/// <summary>
/// login and logout as docker 28's: credentials checked by the daemon (POST /auth) and kept by the registry's credential
/// helper or in config.json (<see cref="ClientConfigFile"/>), with docker's texts.
/// </summary>
internal static partial class RegistryCommands
{
    public static CommandSpec Login() => new()
    {
        Name = "login",
        Use = "[OPTIONS] [SERVER]",
        Short = "Authenticate to a registry",
        Long = "Authenticate to a registry.\nDefaults to Docker Hub if no server is specified.",
        Args = ArgsRule.AtMost(1),
        Setup = flags =>
        {
            var user = flags.String("username", 'u', "", "Username");
            var password = flags.String("password", 'p', "", "Password or Personal Access Token (PAT)");
            var passwordStdin = flags.Bool("password-stdin", null, false, "Take the Password or Personal Access Token (PAT) from stdin");
            return async inv =>
            {
                if (inv.Flags.Changed("password-stdin"))
                {
                    if (inv.Flags.Changed("password"))
                        throw new CliException("conflicting options: cannot specify both --password and --password-stdin");
                    if (!inv.Flags.Changed("username"))
                        throw new CliException("the --password-stdin option requires --username to be set");
                }
                if (inv.Flags.Changed("username") && user.Value.Length == 0)
                    throw new CliException("username is empty");
                if (inv.Flags.Changed("password") && password.Value.Length == 0)
                    throw new CliException("password is empty");
                string secret = password.Value;
                if (secret.Length > 0)
                    inv.Err.WriteLine("WARNING! Using --password via the CLI is insecure. Use --password-stdin.");
                if (passwordStdin.Value)
                {
                    using var reader = new StreamReader(inv.Cli.StdinStream);
                    secret = await reader.ReadToEndAsync().ConfigureAwait(false);
                    secret = TrimSuffix(TrimSuffix(secret, "\n"), "\r");
                }
                string server = inv.Args.Count > 0 && inv.Args[0] is { Length: > 0 } s && s != "docker.io" ? s : RegistryAddress.DockerHub;
                string status = await LoginAsync(inv, server, user.Value, secret).ConfigureAwait(false);
                if (status.Length > 0)
                    inv.Out.WriteLine(status);
                return 0;
            };
        },
    };

    public static CommandSpec Logout() => new()
    {
        Name = "logout",
        Use = "[SERVER]",
        Short = "Log out from a registry",
        Long = "Log out from a registry.\nIf no server is specified, the default is defined by the daemon.",
        Args = ArgsRule.AtMost(1),
        Setup = flags => inv =>
        {
            Logout(inv, inv.Args.Count > 0 ? inv.Args[0] : "");
            return Task.FromResult(0);
        },
    };

    /// <summary>
    /// Logs in with the stored credentials when neither user nor password is given and there are some, else with the
    /// given ones; stores what the daemon accepted. Returns the daemon's status text.
    /// </summary>
    static async Task<string> LoginAsync(Invocation inv, string server, string user, string password)
    {
        bool hub = server == RegistryAddress.DockerHub;
        string key = hub ? server : RegistryAddress.ConvertToHostname(server);
        var config = RegistryAuths.Load(inv.Cli);
        var stored = new AuthEntry { ServerAddress = key };
        bool found = false;
        if (user.Length == 0 && password.Length == 0)
        {
            try
            {
                var entry = config.StoreFor(key).Get(key);
                stored = new AuthEntry { Username = entry.Username, Password = entry.Password, Auth = entry.Auth, ServerAddress = key, RegistryToken = entry.RegistryToken };
                found = true;
            }
            catch (CredentialStoreException)
            {
                // docker goes on as if there were none (the helper has said why on stderr).
            }
        }
        if (found && stored.Username.Length > 0 && stored.Password.Length > 0
            && await LoginWithStoredAsync(inv, config, stored).ConfigureAwait(false) is { } status)
            return status;
        return await LoginWithGivenAsync(inv, config, user, password, key).ConfigureAwait(false);
    }

    /// <summary>docker's loginWithStoredCredentials: null when the daemon refused them (they are stored again all the same).</summary>
    static async Task<string?> LoginWithStoredAsync(Invocation inv, ClientConfigFile config, AuthEntry auth)
    {
        const string advice = "To login with a different account, run 'berth logout' followed by 'berth login'";
        inv.Err.Write($"Authenticating with existing credentials... [Username: {auth.Username}]\n\n");
        // docker's tui note: a badge and colours on a terminal, plain text elsewhere.
        inv.Err.Write(inv.Cli.StderrIsTerminal
            ? $"\e[1m\e[106m\e[30mi\e[0m\e[0m \e[96mInfo → \e[0m\e[0m\e[3m{advice}\e[0m\n\n\n"
            : $" Info -> {advice}\n\n\n");
        (string Status, string IdentityToken)? answer = null;
        try
        {
            answer = await AuthenticateAsync(inv, auth).ConfigureAwait(false);
        }
        catch (DaemonException e) when (e.Status == 401)
        {
            inv.Err.Write("Stored credentials invalid or expired\n");
        }
        catch (Exception e) when (e is DaemonException or DaemonUnreachableException)
        {
            inv.Err.Write($"Login did not succeed, error: {e.Message}\n");
        }
        Store(config, WithIdentityToken(auth, answer?.IdentityToken ?? ""));
        return answer?.Status;
    }

    /// <summary>docker's loginUser with both user and password given (berth does not prompt).</summary>
    static async Task<string> LoginWithGivenAsync(Invocation inv, ClientConfigFile config, string user, string password, string key)
    {
        if (user.Length == 0 || password.Length == 0)
            throw new CliException(inv.Cli.StdinIsTerminal
                ? "Error: Cannot perform an interactive login: berth does not prompt for credentials; give --username and --password-stdin"
                : "Error: Cannot perform an interactive login from a non TTY device");
        // Where docker would prompt for a name or password of blanks, and read nothing.
        if (user.Trim().Length == 0)
            throw new CliException("error: username is required");
        if (password.Trim().Length == 0)
            throw new CliException("error: password is required");
        var auth = new AuthEntry { Username = user.Trim(), Password = password, ServerAddress = key };
        var (status, identityToken) = await AuthenticateAsync(inv, auth).ConfigureAwait(false);
        Store(config, WithIdentityToken(auth, identityToken));
        return status;
    }

    /// <summary>POST /auth: the daemon's status text and the identity token the registry may have given instead of the password.</summary>
    static async Task<(string Status, string IdentityToken)> AuthenticateAsync(Invocation inv, AuthEntry auth)
    {
        var body = RequestBody.Json(Encoding.UTF8.GetBytes(auth.ToJson()));
        var answer = await inv.Client.PostJsonAsync("/auth", body: body).ConfigureAwait(false);
        static string Text(System.Text.Json.Nodes.JsonNode? node) =>
            node is System.Text.Json.Nodes.JsonValue v && v.TryGetValue(out string? s) ? s : "";
        return (Text(answer?["Status"]), Text(answer?["IdentityToken"]));
    }

    /// <summary>An identity token replaces the password, so that the password is not kept.</summary>
    static AuthEntry WithIdentityToken(AuthEntry auth, string identityToken) =>
        identityToken.Length == 0 ? auth : auth with { Password = "", IdentityToken = identityToken };

    static void Store(ClientConfigFile config, AuthEntry auth)
    {
        try
        {
            config.StoreFor(auth.ServerAddress).Store(auth);
        }
        catch (CredentialStoreException e)
        {
            throw new CliException("Error saving credentials: " + e.Message);
        }
    }

    /// <summary>
    /// docker's runLogout: the credentials erased under the address as given and under its host as older clients keyed
    /// them (bare, http://, https://); a warning only when every erase failed.
    /// </summary>
    static void Logout(Invocation inv, string server)
    {
        var config = RegistryAuths.Load(inv.Cli);
        bool hub = server.Length == 0;
        string address = hub ? RegistryAddress.DockerHub : server;
        string host = hub ? address : RegistryAddress.ConvertToHostname(address);
        List<string> keys = hub ? [address] : [address, host, "http://" + host, "https://" + host];
        if (hub)
            ForgetDockerHubTokens(inv, config);
        inv.Out.WriteLine($"Removing login credentials for {host}");
        // By key, as docker's map: an address given as the bare host is tried twice and counted once, so that
        // logging out of a registry one was not logged in to stays silent.
        var failures = new OrderedDictionary<string, string>(StringComparer.Ordinal);
        foreach (string key in keys)
        {
            try
            {
                config.StoreFor(key).Erase(key);
            }
            catch (CredentialStoreException e)
            {
                failures[key] = e.Message;
            }
        }
        if (failures.Count == keys.Count)
        {
            inv.Err.WriteLine("WARNING: could not erase credentials:");
            foreach (var (key, message) in failures)
                inv.Err.WriteLine($"{key}: {message}");
        }
    }

    /// <summary>
    /// The tokens docker's web login to Docker Hub keeps beside the credentials ("...access-token", "...refresh-token"):
    /// docker revokes the refresh token with Docker's OAuth tenant and erases both. Berth has no OAuth client: it erases
    /// them, and a store that cannot be asked is a warning, as in docker.
    /// </summary>
    static void ForgetDockerHubTokens(Invocation inv, ClientConfigFile config)
    {
        var store = config.StoreFor(RegistryAddress.DockerHub);
        string refreshToken;
        try
        {
            refreshToken = store.Get(RegistryAddress.DockerHub + "refresh-token").Password;
        }
        catch (CredentialStoreException e)
        {
            inv.Err.WriteLine("WARNING: " + e.Message);
            return;
        }
        // Only a pair "access..refresh" was stored by docker's web login; anything else is left alone.
        if (refreshToken.Split("..").Length != 2)
            return;
        var failures = new List<string>();
        foreach (string token in new[] { "access-token", "refresh-token" })
        {
            try
            {
                store.Erase(RegistryAddress.DockerHub + token);
            }
            catch (CredentialStoreException e)
            {
                failures.Add(e.Message);
            }
        }
        if (failures.Count > 0)
            inv.Err.WriteLine("WARNING: failed to erase tokens: " + string.Join('\n', failures));
    }

    static string TrimSuffix(string text, string suffix) => text.EndsWith(suffix, StringComparison.Ordinal) ? text[..^suffix.Length] : text;
}
