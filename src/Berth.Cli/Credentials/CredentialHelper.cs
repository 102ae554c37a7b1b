using System.Text;
using System.Text.Json;

namespace Berth.Cli.Credentials;

/// <summary>
/// The protocol of docker's credential helpers (docker-credential-helpers' client package): the program
/// <c>docker-credential-NAME</c> with one verb. <c>store</c> reads <c>{"ServerURL","Username","Secret"}</c>;
/// <c>get</c> reads a server URL and prints that JSON, or "credentials not found in native keychain" with a failing
/// status; <c>erase</c> reads a server URL; <c>list</c> prints <c>{"URL":"username",...}</c>. Failures carry docker's
/// texts ("error getting credentials - err: exit status 1, out: `...`").
/// </summary>
internal sealed class CredentialHelper(string name, IReadOnlyDictionary<string, string?> environment)
{
    public const string NotFoundMessage = "credentials not found in native keychain";

    /// <summary>The Username under which a helper keeps an identity token rather than a password (docker's convention).</summary>
    public const string TokenUsername = "<token>";

    public string Program { get; } = "docker-credential-" + name;

    /// <exception cref="CredentialStoreException"/>
    public void Store(string serverUrl, string username, string secret)
    {
        // json.Encoder: the object and a newline.
        string json = GoJsonText.Object([("ServerURL", serverUrl), ("Username", username), ("Secret", secret)], omitEmpty: false) + "\n";
        var run = Run("store", json);
        if (run.Failure is not null)
            throw Failed("storing", run);
    }

    /// <summary>The stored username and secret of <paramref name="serverUrl"/>; null when the helper has none.</summary>
    /// <exception cref="CredentialStoreException"/>
    public (string Username, string Secret)? Get(string serverUrl)
    {
        var run = Run("get", serverUrl);
        if (run.Failure is not null)
        {
            if (Trimmed(run) == NotFoundMessage)
                return null;
            throw Failed("getting", run);
        }
        var credentials = FirstObject(run.Stdout);
        return (Field(credentials, "Username"), Field(credentials, "Secret"));
    }

    /// <exception cref="CredentialStoreException"/>
    public void Erase(string serverUrl)
    {
        var run = Run("erase", serverUrl);
        if (run.Failure is not null)
            throw Failed("erasing", run);
    }

    /// <summary>Server URL to username, for everything the helper keeps.</summary>
    /// <exception cref="CredentialStoreException"/>
    public IReadOnlyDictionary<string, string> List()
    {
        var run = Run("list", "unused");
        if (run.Failure is not null)
            throw Failed("listing", run);
        var list = new Dictionary<string, string>(StringComparer.Ordinal);
        var root = FirstObject(run.Stdout);
        if (root.ValueKind == JsonValueKind.Object)
            foreach (var property in root.EnumerateObject())
                list[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : throw Undecodable("list", "a value is not a string");
        return list;
    }

    HelperRun Run(string verb, string input) => HelperProgram.Run(Program, verb, Encoding.UTF8.GetBytes(input), environment);

    static string Trimmed(HelperRun run) => Encoding.UTF8.GetString(run.Stdout).Trim();

    static bool IsProtocolError(string output) => output is "no credentials server URL" or "no credentials username";

    static CredentialStoreException Failed(string doing, HelperRun run)
    {
        string output = Trimmed(run);
        return IsProtocolError(output)
            ? new CredentialStoreException(output)
            : new CredentialStoreException($"error {doing} credentials - err: {run.Failure}, out: `{output}`");
    }

    /// <summary>The first JSON value of the output, as Go's json.Decoder reads it (what follows is ignored).</summary>
    JsonElement FirstObject(byte[] output)
    {
        var reader = new Utf8JsonReader(output, new JsonReaderOptions { AllowMultipleValues = true });
        try
        {
            if (!reader.Read())
                throw new CredentialStoreException("EOF");
            var value = JsonElement.ParseValue(ref reader);
            return value.ValueKind is JsonValueKind.Object or JsonValueKind.Null ? value : throw Undecodable("output", $"a JSON {value.ValueKind} instead of an object");
        }
        catch (JsonException e)
        {
            throw Undecodable("output", e.Message);
        }
    }

    /// <summary>A field by name, matched without regard to case as Go's decoder does; "" when absent or null.</summary>
    string Field(JsonElement credentials, string name)
    {
        if (credentials.ValueKind != JsonValueKind.Object)
            return "";
        string value = "";
        foreach (var property in credentials.EnumerateObject())
        {
            if (!property.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
                continue;
            value = property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString()!,
                JsonValueKind.Null => value,
                _ => throw Undecodable("get", $"{name} is not a string"),
            };
        }
        return value;
    }

    CredentialStoreException Undecodable(string what, string detail) => new($"cannot read the {what} of {Program}: {detail}");
}
