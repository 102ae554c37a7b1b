using System.Runtime.InteropServices;
using Berth.Cli.Client;
using Berth.Linux;

namespace Berth.Cli.Streams;

/// <summary>
/// Keeps a container's (or exec's) terminal the size of the user's (docker's MonitorTtySize): once now, and again
/// on every SIGWINCH. Dispose stops listening.
/// </summary>
internal sealed class TtyResizer : IDisposable
{
    readonly DaemonClient _client;
    readonly string _resizePath;
    readonly PosixSignalRegistration? _registration;

    TtyResizer(DaemonClient client, string resizePath)
    {
        _client = client;
        _resizePath = resizePath;
        _registration = PosixSignalRegistration.Create(PosixSignal.SIGWINCH, context =>
        {
            context.Cancel = true;
            _ = ResizeAsync();
        });
    }

    /// <param name="path">"/containers/{id}/resize" or "/exec/{id}/resize".</param>
    /// <param name="nudge">Resize to one row and column more first, so that the process gets a SIGWINCH even when the
    /// size is unchanged and redraws its screen (docker's attach does this).</param>
    public static async Task<TtyResizer> StartAsync(DaemonClient client, string path, bool nudge = false)
    {
        var resizer = new TtyResizer(client, path);
        if (nudge)
            await resizer.ResizeAsync(1).ConfigureAwait(false);
        // The process may not have its terminal yet right after start: docker retries the first resize a few times.
        for (int attempt = 0; attempt < 10; attempt++)
        {
            if (await resizer.ResizeAsync().ConfigureAwait(false))
                break;
            await Task.Delay(10 * (attempt + 1)).ConfigureAwait(false);
        }
        return resizer;
    }

    async Task<bool> ResizeAsync(int extra = 0)
    {
        if (Terminal.GetSize(1) is not { } size || size.Rows == 0 && size.Columns == 0 && extra == 0)
            return true;
        try
        {
            var query = new Query().Add("h", (size.Rows + extra).ToString()).Add("w", (size.Columns + extra).ToString());
            await _client.SendAndDrainAsync("POST", _resizePath, query).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is DaemonException or IOException or DaemonUnreachableException)
        {
            return false;
        }
    }

    /// <summary>The terminal size for a create or exec request ([rows, columns]; zeros without a terminal).</summary>
    public static uint[] ConsoleSize() => Terminal.GetSize(1) is { } s ? [s.Rows, s.Columns] : [0, 0];

    public void Dispose() => _registration?.Dispose();
}

/// <summary>
/// docker's sig-proxy: signals the CLI receives (INT, TERM, HUP, QUIT, USR1, USR2) go to the container instead of
/// ending the CLI. Dispose restores the default handling.
/// </summary>
internal sealed class SignalProxy : IDisposable
{
    static readonly (int Number, string Name)[] Forwarded =
    [
        (Signals.SIGHUP, "HUP"), (Signals.SIGINT, "INT"), (Signals.SIGQUIT, "QUIT"), (Signals.SIGTERM, "TERM"),
        (Signals.SIGUSR1, "USR1"), (Signals.SIGUSR2, "USR2"),
    ];

    readonly List<PosixSignalRegistration> _registrations = [];

    public SignalProxy(DaemonClient client, string containerId)
    {
        foreach (var (number, name) in Forwarded)
        {
            _registrations.Add(PosixSignalRegistration.Create((PosixSignal)number, context =>
            {
                context.Cancel = true;
                _ = ForwardAsync(client, containerId, name);
            }));
        }
    }

    static async Task ForwardAsync(DaemonClient client, string id, string signal)
    {
        try
        {
            await client.SendAndDrainAsync("POST", $"/containers/{Query.PathSegment(id)}/kill", new Query().Add("signal", signal)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DaemonException or IOException or DaemonUnreachableException)
        {
            // The container is gone: nothing to deliver to.
        }
    }

    public void Dispose()
    {
        foreach (var r in _registrations)
            r.Dispose();
    }
}
