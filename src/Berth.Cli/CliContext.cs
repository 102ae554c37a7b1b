using System.Text;
using Berth.Cli.Client;

namespace Berth.Cli;

/// <summary>
/// What every command of one berth process shares: the standard streams, the global options and the daemon client
/// (made on first use, so that commands that never talk to the daemon never fail on a bad -H).
/// </summary>
internal sealed class CliContext
{
    DaemonClient? _client;
    ConfigFile? _config;

    public CliContext(Stream stdin, Stream stdout, Stream stderr, GlobalOptions options, IReadOnlyDictionary<string, string?> environment)
    {
        StdinStream = stdin;
        StdoutStream = stdout;
        StderrStream = stderr;
        Out = new StreamWriter(stdout, new UTF8Encoding(false), 16 * 1024, leaveOpen: true) { NewLine = "\n" };
        Err = new StreamWriter(stderr, new UTF8Encoding(false), 4 * 1024, leaveOpen: true) { NewLine = "\n", AutoFlush = true };
        Options = options;
        Environment = environment;
    }

    public const string ProgramName = "berth";

    public Stream StdinStream { get; }

    public Stream StdoutStream { get; }

    public Stream StderrStream { get; }

    /// <summary>Buffered: flushed when the command ends, and by streaming commands before they write raw bytes.</summary>
    public TextWriter Out { get; }

    public TextWriter Err { get; }

    public GlobalOptions Options { get; }

    public IReadOnlyDictionary<string, string?> Environment { get; }

    public bool StdinIsTerminal { get; init; }

    public bool StdoutIsTerminal { get; init; }

    public bool StderrIsTerminal { get; init; }

    /// <summary>The terminal width for help pages (80 when stdin is no terminal, as docker asks fd 0).</summary>
    public int HelpWidth { get; init; } = 80;

    public string? Env(string name) => Environment.TryGetValue(name, out var v) && !string.IsNullOrEmpty(v) ? v : null;

    public DaemonClient Client => _client ??= Options.CreateClient(this);

    public ConfigFile Config => _config ??= ConfigFile.Load(Options.ConfigDirectory(this));

    public void Flush()
    {
        Out.Flush();
        Err.Flush();
    }
}
