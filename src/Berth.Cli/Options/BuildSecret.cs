using Berth.Cli.CommandLine;

namespace Berth.Cli.Options;

/// <summary>
/// One <c>--secret</c> of berth build, as buildx parses it (util/buildflags/secrets.go: <c>id=</c>, <c>src=</c> or
/// <c>source=</c>, <c>env=</c>, <c>type=file|env</c>, keys in any case), read as buildkit's secretsprovider reads it:
/// with neither a file nor a variable named, the variable of the id's name when it is set, else the file of that name.
/// </summary>
internal sealed record BuildSecret(string Id, string? FilePath, string? Env)
{
    /// <summary>buildkit's MaxSecretSize (500 KiB), which berthd holds to as well.</summary>
    public const int MaxSize = 500 * 1024;

    /// <summary>Secret.UnmarshalText, with buildx's errors; <paramref name="environment"/> is the process's unless given.</summary>
    public static BuildSecret Parse(string value, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        string id = "", file = "", env = "", type = "";
        foreach (string field in Csv.Fields(value))
        {
            int eq = field.IndexOf('=');
            if (eq < 0)
                throw new FlagValueException($"invalid field '{field}' must be a key=value pair");
            string key = field[..eq].ToLowerInvariant();
            string v = field[(eq + 1)..];
            switch (key)
            {
                case "type":
                    if (v is not ("file" or "env"))
                        throw new FlagValueException($"unsupported secret type {Berth.Oci.Image.GoQuote.Quote(v)}");
                    type = v;
                    break;
                case "id":
                    id = v;
                    break;
                case "source" or "src":
                    file = v;
                    break;
                case "env":
                    env = v;
                    break;
                default:
                    throw new FlagValueException($"unexpected key '{key}' in '{field}'");
            }
        }
        // type=env,src=NAME names the variable by src.
        if (type == "env" && env.Length == 0)
            (env, file) = (file, "");
        if (id.Length == 0)
            throw new FlagValueException("secret missing ID");
        if (env.Length == 0 && file.Length == 0)
        {
            // secretsprovider.NewStore: a variable of the id's name when there is one, else a file of that name.
            if (environment(id) is not null)
                env = id;
            else
                file = id;
        }
        return new BuildSecret(id, file.Length > 0 ? file : null, env.Length > 0 ? env : null);
    }

    /// <summary>The secret's bytes: the variable's value (empty when unset, as buildkit's os.Getenv), or the file's content.</summary>
    public byte[] Read(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        byte[] content;
        if (Env is { } name)
        {
            content = System.Text.Encoding.UTF8.GetBytes(environment(name) ?? "");
        }
        else
        {
            string path = FilePath!;
            try
            {
                var info = new FileInfo(path);
                if (!info.Exists && !Directory.Exists(path))
                    throw new FlagValueException($"failed to stat {path}: stat {path}: no such file or directory");
                if (info.Exists && info.Length > MaxSize)
                    throw new FlagValueException(TooBig);
                content = File.ReadAllBytes(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new FlagValueException($"failed to read secret {Id} from {path}: {e.Message}");
            }
        }
        if (content.Length > MaxSize)
            throw new FlagValueException(TooBig);
        return content;
    }

    string TooBig => $"secret {Id} too big. max size 500KB";

    /// <summary>Every <c>--secret</c> read, by id (a later one of the same id wins, as in buildkit's store).</summary>
    public static Dictionary<string, byte[]> Load(IEnumerable<string> values, Func<string, string?>? environment = null)
    {
        var secrets = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (string value in values)
        {
            try
            {
                var secret = Parse(value, environment);
                secrets[secret.Id] = secret.Read(environment);
            }
            catch (FlagValueException e)
            {
                throw new Client.CliException(e.Message);
            }
        }
        return secrets;
    }
}
