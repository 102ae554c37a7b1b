using System.Globalization;

namespace Berth.Engine.Shims;

/// <summary>
/// The contract between berthd and berth-shim: files in the shim's state directory and the
/// commands of its control socket. Both sides use these names, so they cannot drift apart.
/// </summary>
/// <remarks>
/// <para><b>Start-up.</b> berthd runs <c>berth-shim</c> with the flags of <see cref="ShimCommandLine"/>
/// in a new session, with "/" as its directory, stdin and stderr on /dev/null and stdout on a pipe.
/// The shim is berthd's child (berthd reaps it when it exits) but shares nothing else with it, so
/// berthd can exit or be killed without touching it: init (or the nearest subreaper) adopts it. The
/// shim claims its state directory, opens its control socket and writes exactly one line to the
/// pipe and closes it: <c>{"Ready":true}</c> (it serves; the container does not exist yet, nothing
/// of the runtime has run) or <c>{"Error":"message"}</c> (it could not serve; no socket is left).
/// berthd then connects the attaches that wait for the container's output and sends
/// <c>start</c>.</para>
/// <para><b>Control socket.</b> <c>&lt;state&gt;/shim.sock</c>, mode 0600. Every connection carries one
/// command: a text line (words separated by one space, ended by \n), answered by one line,
/// <c>ok [...]</c> or <c>error &lt;message&gt;</c>. Commands:</para>
/// <list type="table">
/// <item><term><c>start</c></term><description>Creates and starts the container in one runtime exec,
/// <c>runtime run --detach</c> (<c>create</c>, the terminal's size, <c>start</c> when a size was set
/// before); <c>ok &lt;pid&gt;</c>, the pid of its init. On the runtime's refusal: everything the
/// runtime made is deleted (<c>delete --force</c>), the attachers are closed, the socket is removed,
/// then <c>error &lt;runtime's message&gt;</c> is sent and the shim exits.</description></item>
/// <item><term><c>attach stdin=0|1 stdout=0|1 stderr=0|1</c></term><description><c>ok</c>, then the
/// connection is the stream: the container's output to the client (tty: raw bytes; otherwise Docker's
/// multiplexed frames, 8-byte header [stream,0,0,0,uint32 BE length], stream 1 or 2), the client's
/// bytes to the container's stdin (stdin=1 and the container has one). Before the start too: the
/// stream then carries the output from its first byte, and bytes for stdin wait until the container
/// runs. When the client shuts down its write side and the container runs with --stdin-once, the
/// container's stdin is closed. Any number of attachers; output nobody is attached to is only
/// logged. After the container's exit and its output drained (or when it never starts) the shim
/// closes every attach connection.</description></item>
/// <item><term><c>resize &lt;rows&gt; &lt;cols&gt;</c></term><description>Sets the container's terminal size
/// (before the start: the size it starts with); <c>ok</c>.</description></item>
/// <item><term><c>kill &lt;signal&gt; [all]</c></term><description><c>runtime kill [--all]</c>; <c>ok</c>. Before
/// the start (signal 0 aside) the container is ended instead, never to start: the attachers are
/// closed and the shim exits without an exit to record.</description></item>
/// <item><term><c>wait</c></term><description>Answered when the container has exited (at once if it
/// has): <c>exit &lt;code&gt; &lt;finishedAt RFC 3339 UTC&gt; &lt;oomKilled 0|1&gt;</c>; code is 128+signal
/// for a signal. exit.json is written before any wait is answered; the connection then stays open
/// until the runtime has deleted the container (its ID free again for a next start) and ends: a
/// client that needs that waits for the end (<see cref="ShimClient.WaitExitAsync"/>). When the
/// container never ran (its start refused, or ended before it): <c>error &lt;why&gt;</c>.</description></item>
/// <item><term><c>state</c></term><description><c>waiting</c> (not started yet, or starting),
/// <c>running &lt;pid&gt;</c>, <c>exited &lt;code&gt;</c>, or <c>error &lt;why&gt;</c> when it never ran.</description></item>
/// <item><term><c>exec &lt;execId&gt; tty=0|1 stdin=0|1 &lt;process.json&gt;</c></term><description><c>runtime exec
/// --detach --process</c>; <c>ok &lt;pid&gt;</c>, then the connection is that process's stream (framing
/// as for attach; end of the client's writing closes the process's stdin). When the process has
/// exited and its output is drained, its exit code goes to exec-&lt;execId&gt;.exit and the connection
/// is closed. Refused while the container does not run.</description></item>
/// <item><term><c>exec-resize &lt;execId&gt; &lt;rows&gt; &lt;cols&gt;</c></term><description>Sets an exec's terminal size; <c>ok</c>.</description></item>
/// </list>
/// <para><b>Exit.</b> When the container's init has exited: its output is drained, the log completed,
/// exit.json written (temporary file + rename), waiters answered, <c>runtime delete</c> run, waiters'
/// connections ended, shim.sock removed, and the shim exits 0. A shim that is gone with exit.json present means the
/// container has exited; gone without it means the shim was killed or the container never ran.</para>
/// </remarks>
public static class ShimProtocol
{
    public const string SocketName = "shim.sock";
    public const string ConsoleSocketName = "console.sock";
    public const string ExitFileName = "exit.json";
    public const string InitPidFileName = "init.pid";
    public const string RuntimeLogName = "runtime.log";

    /// <summary>The shim's own diagnostics (failures it cannot report over a connection).</summary>
    public const string ShimLogName = "shim.log";

    public const string Start = "start";
    public const string Attach = "attach";
    public const string Resize = "resize";
    public const string Kill = "kill";
    public const string Wait = "wait";
    public const string State = "state";
    public const string Exec = "exec";
    public const string ExecResize = "exec-resize";

    public const string Ok = "ok";
    public const string Error = "error";
    public const string Exit = "exit";

    /// <summary>The state of a shim whose container is not started yet.</summary>
    public const string Waiting = "waiting";

    /// <summary>The state of a created, not started container under a shim of an earlier version (which created at start-up).</summary>
    public const string Created = "created";

    public const string Running = "running";
    public const string Exited = "exited";

    /// <summary>The longest command or reply line either side accepts.</summary>
    public const int MaxLineLength = 4096;

    public static string SocketPath(string stateDirectory) => Path.Combine(stateDirectory, SocketName);

    public static string ExitFile(string stateDirectory) => Path.Combine(stateDirectory, ExitFileName);

    public static string ExecPidFile(string stateDirectory, string execId) => Path.Combine(stateDirectory, $"exec-{execId}.pid");

    public static string ExecExitFile(string stateDirectory, string execId) => Path.Combine(stateDirectory, $"exec-{execId}.exit");

    /// <summary>Exec ids become file names: letters, digits, '-', '_' and '.', not starting with '.'.</summary>
    public static bool IsValidExecId(string execId)
    {
        if (execId.Length is 0 or > 128 || execId[0] == '.')
            return false;
        foreach (char c in execId)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
                return false;
        return true;
    }

    public static string Flag(bool value) => value ? "1" : "0";

    /// <summary>Reads <c>name=0|1</c>; false when the word is not that.</summary>
    public static bool TryParseFlag(string word, string name, out bool value)
    {
        value = false;
        if (word.Length != name.Length + 2 || !word.StartsWith(name, StringComparison.Ordinal) || word[name.Length] != '=')
            return false;
        char c = word[^1];
        value = c == '1';
        return c is '0' or '1';
    }

    /// <summary>The reply to <c>wait</c>.</summary>
    public static string FormatExit(ShimExit exit)
        => string.Create(CultureInfo.InvariantCulture, $"{Exit} {exit.ExitCode} {Rfc3339.Format(exit.FinishedAt)} {Flag(exit.OomKilled)}");

    public static bool TryParseExit(string line, out ShimExit exit)
    {
        exit = default!;
        var words = line.Split(' ');
        if (words.Length != 4 || words[0] != Exit
            || !int.TryParse(words[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int code)
            || !Rfc3339.TryParse(words[2], out var finishedAt)
            || words[3] is not ("0" or "1"))
            return false;
        exit = new ShimExit(code, finishedAt, words[3] == "1");
        return true;
    }
}
