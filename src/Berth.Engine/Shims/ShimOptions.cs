using Berth.Engine.Logs;

namespace Berth.Engine.Shims;

/// <summary>What one shim runs: a container (bundle + id) under an OCI runtime, with its stdio, logs and state directory.</summary>
/// <param name="StateDirectory">The shim's own directory: shim.sock, exit.json, pid files, the runtime's log. Must exist.</param>
/// <param name="Runtime">The OCI runtime executable (berth-runtime, runc, crun).</param>
/// <param name="RuntimeRoot">The runtime's --root.</param>
/// <param name="Tty">The container gets a pseudo-terminal (its output is then one raw stream).</param>
/// <param name="OpenStdin">The container gets a stdin pipe that attachers write to (else /dev/null).</param>
/// <param name="StdinOnce">The container's stdin is closed when an attacher that wrote to it ends its writing.</param>
/// <param name="Log">The log driver, or null (as "none") for no logs.</param>
/// <param name="LogPath">The log file (json-file, local), or null.</param>
/// <param name="ShimPath">The berth-shim executable.</param>
/// <param name="RuntimeArgs">Options put before the runtime's own global options (dockerd's runtimeArgs).</param>
/// <param name="LogAttributes">Extra attributes of every log entry (json-file's "attrs": <see cref="Logs.LogAttributes.Extract"/>).</param>
public sealed record ShimOptions(
    string Id,
    string Bundle,
    string StateDirectory,
    string Runtime,
    string RuntimeRoot,
    bool Tty,
    bool OpenStdin,
    bool StdinOnce,
    LogConfig? Log,
    string? LogPath,
    string ShimPath,
    IReadOnlyList<string>? RuntimeArgs = null,
    IReadOnlyDictionary<string, string>? LogAttributes = null);
