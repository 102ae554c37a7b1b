using Berth.Cli.Client;
using Berth.Cli.Options;
using Berth.Cli.Output;
using Berth.Cli.Streams;
using Berth.Engine.Model;

namespace Berth.Cli.Commands;

/// <summary>
/// docker's createContainer: the container ID file, pull when asked (or when the image is missing and pull is
/// "missing"), POST /containers/create, the daemon's warnings on stderr.
/// </summary>
internal static class ContainerCreation
{
    public static async Task<string> CreateAsync(CliContext cli, ContainerOptions options, ContainerCreateRequest request)
    {
        string cidFile = options.CidFile.Value;
        if (cidFile.Length > 0 && File.Exists(cidFile))
            throw new CliException($"container ID file found, make sure the other container isn't running or delete {cidFile}");
        ImageReference? reference = ImageReference.TryParse(request.Image, out var parsed, out _) && !LooksLikeId(request.Image)
            ? parsed.WithDefaultTag()
            : null;
        string pull = options.Pull.Value;
        if (pull == "always" && reference is not null)
            await ImagePull.PullAsync(cli, reference, options.Platform.Value, options.Quiet.Value).ConfigureAwait(false);
        request.HostConfig!.ConsoleSize = cli.StdoutIsTerminal ? TtyResizer.ConsoleSize() : [0, 0];
        var query = new Query().AddIfNotEmpty("name", options.Name.Value).AddIfNotEmpty("platform", options.Platform.Value);
        ContainerCreateResponse response;
        try
        {
            response = await PostAsync(cli.Client, query, request).ConfigureAwait(false);
        }
        catch (DaemonException e) when (e.IsNotFound && reference is not null && pull == "missing")
        {
            if (!options.Quiet.Value)
                cli.Err.WriteLine($"Unable to find image '{reference}' locally");
            await ImagePull.PullAsync(cli, reference, options.Platform.Value, options.Quiet.Value).ConfigureAwait(false);
            response = await PostAsync(cli.Client, query, request).ConfigureAwait(false);
        }
        foreach (var warning in response.Warnings)
            cli.Err.WriteLine($"WARNING: {warning}");
        if (cidFile.Length > 0)
        {
            try
            {
                File.WriteAllText(cidFile, response.Id);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CliException($"failed to create the container ID file: {e.Message}");
            }
        }
        return response.Id;
    }

    static Task<ContainerCreateResponse> PostAsync(DaemonClient client, Query query, ContainerCreateRequest request) =>
        client.PostAsync("/containers/create", query, DaemonClientTyped.Json(request, DockerJson.Default.ContainerCreateRequest),
            DockerJson.Default.ContainerCreateResponse);

    /// <summary>A full or short hexadecimal ID (or sha256:...) names an image that no pull can bring.</summary>
    static bool LooksLikeId(string image)
    {
        string s = image.StartsWith("sha256:", StringComparison.Ordinal) ? image[7..] : image;
        return s.Length == 64 && s.All(char.IsAsciiHexDigitLower);
    }
}
