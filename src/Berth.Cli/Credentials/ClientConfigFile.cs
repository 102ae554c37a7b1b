using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Berth.Cli.Credentials;

/// <summary>
/// The credential settings of the client's config.json, as docker reads and writes them: <c>auths</c> (per registry,
/// <c>{"auth": base64("user:password")}</c> or <c>{}</c> when a helper keeps the secret), <c>credsStore</c> (the helper
/// for every registry) and <c>credHelpers</c> (a helper per registry, which wins). Loaded once per command and shared by
/// the stores it hands out, as docker's ConfigFile is; saving rewrites the file whole and keeps the settings berth does
/// not know.
/// </summary>
internal sealed class ClientConfigFile
{
    JsonObject _root;
    readonly TextWriter _warnings;
    readonly IReadOnlyDictionary<string, string?> _environment;

    ClientConfigFile(string filename, JsonObject root, TextWriter warnings, IReadOnlyDictionary<string, string?> environment)
    {
        Filename = filename;
        _root = root;
        _warnings = warnings;
        _environment = environment;
        if (root["auths"] is JsonObject auths)
            foreach (var (key, value) in auths)
                Auths[key] = ReadEntry(key, value as JsonObject);
        CredsStore = root["credsStore"] is JsonValue v && v.TryGetValue(out string? store) ? store : "";
        if (root["credHelpers"] is JsonObject helpers)
            foreach (var (host, value) in helpers)
                if (value is JsonValue h && h.TryGetValue(out string? helper))
                    CredHelpers[host] = helper;
    }

    public string Filename { get; }

    /// <summary>The entries of <c>auths</c> by key, in the file's order, each with its key as ServerAddress and its auth decoded.</summary>
    public OrderedDictionary<string, AuthEntry> Auths { get; } = new(StringComparer.Ordinal);

    public string CredsStore { get; }

    public OrderedDictionary<string, string> CredHelpers { get; } = new(StringComparer.Ordinal);

    /// <summary>Docker warns once per process that a password went into the file.</summary>
    public bool WarnedUnencrypted { get; set; }

    /// <param name="warnings">Where stores write what docker writes to stderr.</param>
    /// <param name="environment">The environment helpers are looked up in (PATH).</param>
    public static ClientConfigFile Load(string directory, TextWriter warnings, IReadOnlyDictionary<string, string?> environment)
    {
        string path = Path.Combine(directory, "config.json");
        JsonObject root;
        try
        {
            root = File.Exists(path) && JsonNode.Parse(File.ReadAllBytes(path)) is JsonObject o ? o : new JsonObject();
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            // docker too goes on with an empty configuration (after a warning).
            root = new JsonObject();
        }
        return new ClientConfigFile(path, root, warnings, environment);
    }

    /// <summary>The store for <paramref name="serverAddress"/>: its credHelpers entry, else credsStore, else the file itself.</summary>
    public ICredentialStore StoreFor(string serverAddress)
    {
        var file = new FileCredentialStore(this, _warnings);
        string helper = serverAddress.Length > 0 && CredHelpers.TryGetValue(serverAddress, out var h) ? h : CredsStore;
        return helper.Length == 0 ? file : new HelperCredentialStore(this, new CredentialHelper(helper, _environment), file);
    }

    /// <summary>
    /// Every registry's credentials for a build (docker's GetAllCredentials): all of the default store's, then each
    /// credHelpers registry's over them. A default store that fails gives nothing at all; a registry whose helper fails
    /// is left out with a warning in logrus's words.
    /// </summary>
    public IReadOnlyDictionary<string, AuthEntry> GetAllCredentials()
    {
        Dictionary<string, AuthEntry> all;
        try
        {
            all = new Dictionary<string, AuthEntry>(StoreFor("").GetAll(), StringComparer.Ordinal);
        }
        catch (CredentialStoreException)
        {
            return new Dictionary<string, AuthEntry>();
        }
        foreach (string host in CredHelpers.Keys)
        {
            try
            {
                all[host] = StoreFor(host).Get(host);
            }
            catch (CredentialStoreException e)
            {
                _warnings.WriteLine($"time=\"{LogrusTime(DateTimeOffset.Now)}\" level=warning msg={Templates.GoQuote.Quote("Failed to get credentials for registry: " + host)} error={Templates.GoQuote.Quote(e.Message)}");
            }
        }
        return all;
    }

    /// <summary>Writes the file whole (auths first when it is new, as docker orders it) through a temporary file and a rename, readable by its owner only.</summary>
    /// <exception cref="CredentialStoreException">The file cannot be written.</exception>
    public void Save()
    {
        var auths = new JsonObject();
        foreach (var (key, entry) in Auths)
            auths[key] = WriteEntry(entry);
        JsonObject root;
        if (_root.ContainsKey("auths"))
        {
            _root["auths"] = auths;
            root = _root;
        }
        else
        {
            root = new JsonObject { ["auths"] = auths };
            foreach (var (key, value) in _root.ToList())
            {
                _root.Remove(key);
                root[key] = value;
            }
            _root = root;
        }
        string temp = Filename + ".tmp-" + Environment.ProcessId;
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Filename)!);
            using (var file = File.Create(temp))
            using (var writer = new Utf8JsonWriter(file, new JsonWriterOptions
            {
                Indented = true,
                IndentCharacter = '\t',
                IndentSize = 1,
                Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            }))
                root.WriteTo(writer);
            File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            File.Move(temp, Filename, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(temp);
            throw new CredentialStoreException($"cannot write {Filename}: {e.Message}", e);
        }
    }

    /// <summary>An entry as docker loads it: "auth" decoded into user and password (a password's trailing NULs dropped), the key as ServerAddress.</summary>
    static AuthEntry ReadEntry(string key, JsonObject? json)
    {
        string Text(string name) => json?[name] is JsonValue v && v.TryGetValue(out string? s) ? s : "";
        var entry = new AuthEntry
        {
            Username = Text("username"),
            Password = Text("password"),
            Email = Text("email"),
            ServerAddress = key,
            IdentityToken = Text("identitytoken"),
            RegistryToken = Text("registrytoken"),
        };
        string auth = Text("auth");
        if (auth.Length == 0)
            return entry;
        try
        {
            string pair = Encoding.UTF8.GetString(Convert.FromBase64String(auth));
            int colon = pair.IndexOf(':');
            // docker refuses the whole file over an entry it cannot decode; berth ignores the entry's credentials.
            return colon > 0 ? entry with { Username = pair[..colon], Password = pair[(colon + 1)..].Trim('\0') } : entry;
        }
        catch (FormatException)
        {
            return entry;
        }
    }

    /// <summary>An entry as docker saves it: user and password as "auth", no server address, empty fields left out.</summary>
    static JsonObject WriteEntry(AuthEntry entry)
    {
        var json = new JsonObject();
        if (entry.Username.Length > 0 || entry.Password.Length > 0)
            json["auth"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(entry.Username + ":" + entry.Password));
        if (entry.Email.Length > 0)
            json["email"] = entry.Email;
        if (entry.IdentityToken.Length > 0)
            json["identitytoken"] = entry.IdentityToken;
        if (entry.RegistryToken.Length > 0)
            json["registrytoken"] = entry.RegistryToken;
        return json;
    }

    /// <summary>logrus's default time stamp: RFC 3339 in local time, "Z" for UTC.</summary>
    static string LogrusTime(DateTimeOffset now) =>
        now.ToString("yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture)
        + (now.Offset == TimeSpan.Zero ? "Z" : now.ToString("zzz", System.Globalization.CultureInfo.InvariantCulture));
}
