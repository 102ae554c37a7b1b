using Berth.Engine.Shims;

namespace Berth.Shim;

/// <summary>The shim's own diagnostics (shim.log in its state directory): what it could not tell anyone over a connection.</summary>
static class ShimLog
{
    static readonly Lock Gate = new();
    static string? _path;

    public static void Open(string stateDirectory) => _path = Path.Combine(stateDirectory, ShimProtocol.ShimLogName);

    public static void Write(string message)
    {
        if (_path is null)
            return;
        lock (Gate)
        {
            try
            {
                File.AppendAllText(_path, $"{Rfc3339.Format(DateTimeOffset.UtcNow)} {message}\n");
            }
            catch (IOException)
            {
            }
        }
    }
}
