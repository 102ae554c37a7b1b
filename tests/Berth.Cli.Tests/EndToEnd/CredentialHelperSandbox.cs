using Berth.TestSupport;

namespace Berth.Cli.Tests.EndToEnd;

/// <summary>
/// One client's world for credential-helper tests: a config directory (DOCKER_CONFIG / BERTH_CONFIG) and a bin
/// directory put first on PATH with two real credential helpers written as shell scripts:
/// <c>docker-credential-berth-test-store</c>, which keeps one JSON line per server (as it was given) in the file
/// <see cref="StorePath"/> and logs every call it gets, and <c>docker-credential-berth-test-failing</c>, which says
/// something on stderr and stdout and exits 3. Everything lives in one temporary directory, removed by Dispose.
/// </summary>
internal sealed class CredentialHelperSandbox : IDisposable
{
    public const string Store = "berth-test-store";
    public const string Failing = "berth-test-failing";

    const string StoreScript = """
        #!/bin/sh
        # A credential helper keeping its store in a file: one JSON line per server, as the client sent it.
        home=$(cd "$(dirname "$0")/.." && pwd)
        store="$home/store"
        touch "$store"
        case "$1" in
        store)
            IFS= read -r line || true
            printf 'store %s\n' "$line" >>"$home/calls"
            url=$(printf '%s' "$line" | sed -n 's/^{"ServerURL":"\([^"]*\)".*/\1/p')
            grep -vF "{\"ServerURL\":\"$url\"," "$store" >"$store.new" || true
            printf '%s\n' "$line" >>"$store.new"
            mv "$store.new" "$store"
            ;;
        get)
            IFS= read -r url || true
            printf 'get %s\n' "$url" >>"$home/calls"
            grep -F "{\"ServerURL\":\"$url\"," "$store" && exit 0
            echo "credentials not found in native keychain"
            exit 1
            ;;
        erase)
            IFS= read -r url || true
            printf 'erase %s\n' "$url" >>"$home/calls"
            grep -vF "{\"ServerURL\":\"$url\"," "$store" >"$store.new" || true
            mv "$store.new" "$store"
            ;;
        list)
            printf 'list\n' >>"$home/calls"
            printf '{%s}\n' "$(sed 's/^{"ServerURL":\("[^"]*"\),"Username":\("[^"]*"\).*/\1:\2/' "$store" | paste -sd, -)"
            ;;
        *)
            echo "unknown verb: $1" >&2
            exit 2
            ;;
        esac
        """;

    const string FailingScript = """
        #!/bin/sh
        echo "the failing helper was asked to $1" >&2
        echo "helper out of order"
        exit 3
        """;

    readonly string _program;
    readonly string _configVariable;

    /// <param name="program">The client: the docker CLI or berth.</param>
    /// <param name="configVariable">Where the client takes its config directory from (DOCKER_CONFIG, BERTH_CONFIG).</param>
    public CredentialHelperSandbox(string program, string configVariable, string configJson)
    {
        _program = program;
        _configVariable = configVariable;
        Root = Directory.CreateTempSubdirectory("berth-test-credentials-").FullName;
        Directory.CreateDirectory(PathOf("bin"));
        Directory.CreateDirectory(PathOf("config"));
        Script("docker-credential-" + Store, StoreScript);
        Script("docker-credential-" + Failing, FailingScript);
        File.WriteAllText(ConfigPath, configJson);
    }

    public string Root { get; }

    public string ConfigPath => PathOf("config/config.json");

    public string StorePath => PathOf("store");

    public string ConfigText => File.Exists(ConfigPath) ? File.ReadAllText(ConfigPath) : "(none)";

    public string StoreText => File.Exists(StorePath) ? File.ReadAllText(StorePath) : "";

    /// <summary>Every call the storing helper got, one a line: the verb and what it read.</summary>
    public string Calls => File.Exists(PathOf("calls")) ? File.ReadAllText(PathOf("calls")) : "";

    public string PathOf(string relative) => Path.Combine(Root, relative);

    public CommandResult Run(string socket, IEnumerable<string> args, string? stdin = null) =>
        ProcessRunner.Run(_program, ["--host", "unix://" + socket, .. args], stdin: stdin, timeout: TimeSpan.FromMinutes(2),
            environment: new Dictionary<string, string>
            {
                [_configVariable] = PathOf("config"),
                ["PATH"] = PathOf("bin") + ":" + Environment.GetEnvironmentVariable("PATH"),
                ["DOCKER_BUILDKIT"] = "0",
            });

    void Script(string name, string text)
    {
        string path = PathOf("bin/" + name);
        File.WriteAllText(path, text.ReplaceLineEndings("\n") + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
