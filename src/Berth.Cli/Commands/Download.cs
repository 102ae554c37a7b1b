using Berth.Cli.Client;

namespace Berth.Cli.Commands;

/// <summary>A download (save, export) to stdout or, through a temporary file renamed at the end, to -o's file.</summary>
internal static class Download
{
    public static async Task ToOutputAsync(CliContext cli, Stream body, string path)
    {
        if (path.Length == 0)
        {
            cli.Flush();
            await body.CopyToAsync(cli.StdoutStream).ConfigureAwait(false);
            await cli.StdoutStream.FlushAsync().ConfigureAwait(false);
            return;
        }
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full)!;
        string temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
                await body.CopyToAsync(file).ConfigureAwait(false);
            File.Move(temporary, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(temporary);
            throw new CliException($"failed to save to {path}: {e.Message}");
        }
    }
}
