using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Berth.Engine.Shims;

/// <summary>The documents the shim leaves for berthd: the readiness line, exit.json and exec exit codes.</summary>
public static class ShimFiles
{
    public static byte[] ReadyLine() => Line(new ShimReadyLine { Ready = true });

    public static byte[] ReadyErrorLine(string message) => Line(new ShimReadyLine { Error = message });

    /// <summary>Whether a readiness line says ready, and its error; (false, null) when it is not one.</summary>
    public static (bool Ready, string? Error) ParseReadyLine(string line)
    {
        try
        {
            var ready = JsonSerializer.Deserialize(line, ShimJson.Default.ShimReadyLine);
            return ready is null ? (false, null) : (ready.Ready == true && ready.Error is null, ready.Error);
        }
        catch (JsonException)
        {
            return (false, null);
        }
    }

    /// <summary>Writes exit.json atomically: a reader sees the whole document or none.</summary>
    public static void WriteExit(string stateDirectory, ShimExit exit)
    {
        var document = new ShimExitDocument { ExitCode = exit.ExitCode, FinishedAt = Rfc3339.Format(exit.FinishedAt), OOMKilled = exit.OomKilled };
        WriteAtomically(ShimProtocol.ExitFile(stateDirectory), JsonSerializer.SerializeToUtf8Bytes(document, ShimJson.Default.ShimExitDocument));
    }

    /// <summary>exit.json, or null when the container has not exited under a shim (or the file is unreadable).</summary>
    public static ShimExit? ReadExit(string stateDirectory)
    {
        try
        {
            var document = JsonSerializer.Deserialize(File.ReadAllBytes(ShimProtocol.ExitFile(stateDirectory)), ShimJson.Default.ShimExitDocument);
            if (document is null || !Rfc3339.TryParse(document.FinishedAt, out var finishedAt))
                return null;
            return new ShimExit(document.ExitCode, finishedAt, document.OOMKilled);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    public static void WriteExecExit(string stateDirectory, string execId, int exitCode)
        => WriteAtomically(ShimProtocol.ExecExitFile(stateDirectory, execId), Encoding.ASCII.GetBytes(exitCode.ToString(CultureInfo.InvariantCulture)));

    public static int? ReadExecExit(string stateDirectory, string execId)
    {
        try
        {
            string text = File.ReadAllText(ShimProtocol.ExecExitFile(stateDirectory, execId)).Trim();
            return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int code) ? code : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// Whole or not at all for a reader, also when the writer is killed half-way (rename). Not flushed to
    /// disk: the state directory is in the exec root (/run/berth, on most machines a tmpfs, as dockerd's), whose files
    /// outlive the shim and berthd but not the machine, and neither do the containers they describe.
    /// </summary>
    static void WriteAtomically(string path, byte[] content)
    {
        string temporary = path + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0))
            file.Write(content);
        File.Move(temporary, path, overwrite: true);
    }

    static byte[] Line(ShimReadyLine ready)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(ready, ShimJson.Default.ShimReadyLine);
        var line = new byte[json.Length + 1];
        json.CopyTo(line, 0);
        line[^1] = (byte)'\n';
        return line;
    }
}
