using Berth.Cli.Client;
using Berth.Cli.Output;

namespace Berth.Cli.Commands;

/// <summary>POST /images/create?fromImage=..: what run and create do with an image they do not have.</summary>
internal static class ImagePull
{
    public static async Task PullAsync(CliContext cli, ImageReference reference, string platform, bool quiet)
    {
        var query = new Query().Add("fromImage", reference.FamiliarName);
        if (reference.Digest is not null)
            query.Add("tag", reference.Digest);
        else
            query.Add("tag", reference.Tag ?? "latest");
        query.AddIfNotEmpty("platform", platform);
        using var response = await cli.Client.SendAsync("POST", "/images/create", query).ConfigureAwait(false);
        await JsonMessages.DisplayAsync(response.Body, quiet ? null : cli.Err, cli.StderrIsTerminal).ConfigureAwait(false);
    }
}
