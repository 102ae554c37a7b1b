using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Berth.Cli;

/// <summary>
/// The <c>auths</c> of the client's config.json, as docker keeps them: per registry (Docker Hub under
/// "https://index.docker.io/v1/"), <c>{"auth": base64("user:password")}</c>. Read to send X-Registry-Auth with a
/// pull or push, written by login and logout; the rest of the file is kept as it was.
/// </summary>
internal static class RegistryAuths
{
    public const string DockerHubKey = "https://index.docker.io/v1/";

    /// <summary>The key of a registry in <c>auths</c>: Docker Hub's URL, or the host as written.</summary>
    public static string KeyOf(string domain) => domain is "docker.io" or "index.docker.io" or "registry-1.docker.io" ? DockerHubKey : domain;

    /// <summary>The X-Registry-Auth header for <paramref name="domain"/>: base64url of an AuthConfig (empty <c>{}</c> when there is none).</summary>
    public static string Header(string configDirectory, string domain)
    {
        var json = new JsonObject();
        if (Find(configDirectory, domain) is { } auth)
        {
            json["username"] = auth.User;
            json["password"] = auth.Password;
            json["serveraddress"] = KeyOf(domain);
        }
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(json.ToJsonString())).Replace('+', '-').Replace('/', '_');
    }

    public static (string User, string Password)? Find(string configDirectory, string domain)
    {
        var root = Load(configDirectory);
        if (root["auths"] is not JsonObject auths)
            return null;
        string key = KeyOf(domain);
        var entry = auths[key] ?? auths["http://" + key] ?? auths["https://" + key];
        if (entry?["auth"] is JsonValue v && v.TryGetValue(out string? encoded) && encoded.Length > 0)
        {
            string pair = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
            int colon = pair.IndexOf(':');
            if (colon > 0)
                return (pair[..colon], pair[(colon + 1)..]);
        }
        return null;
    }

    /// <summary>Stores the credentials of <paramref name="domain"/>; returns the file's path (docker warns it is unencrypted).</summary>
    public static string Store(string configDirectory, string domain, string user, string password)
    {
        var root = Load(configDirectory);
        if (root["auths"] is not JsonObject auths)
            root["auths"] = auths = new JsonObject();
        auths[KeyOf(domain)] = new JsonObject { ["auth"] = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")) };
        return Save(configDirectory, root);
    }

    /// <summary>Removes the credentials of <paramref name="domain"/>; false when there were none.</summary>
    public static bool Erase(string configDirectory, string domain)
    {
        var root = Load(configDirectory);
        if (root["auths"] is not JsonObject auths || !auths.Remove(KeyOf(domain)))
            return false;
        Save(configDirectory, root);
        return true;
    }

    static JsonObject Load(string configDirectory)
    {
        string path = Path.Combine(configDirectory, "config.json");
        try
        {
            return File.Exists(path) && JsonNode.Parse(File.ReadAllBytes(path)) is JsonObject o ? o : new JsonObject();
        }
        catch (JsonException)
        {
            return new JsonObject();
        }
    }

    /// <summary>Writes config.json whole, through a temporary file and a rename, readable by its owner only.</summary>
    static string Save(string configDirectory, JsonObject root)
    {
        Directory.CreateDirectory(configDirectory);
        string path = Path.Combine(configDirectory, "config.json");
        string temp = path + ".tmp-" + Environment.ProcessId;
        using (var file = File.Create(temp))
        using (var writer = new Utf8JsonWriter(file, new JsonWriterOptions { Indented = true }))
            root.WriteTo(writer);
        File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(temp, path, overwrite: true);
        return path;
    }
}
