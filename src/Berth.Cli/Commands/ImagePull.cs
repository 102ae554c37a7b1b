using Berth.Cli.Client;
using Berth.Cli.Output;

namespace Berth.Cli.Commands;

/// <summary>POST /images/create?fromImage=..: what run and create do with an image they do not have.</summary>
internal static class ImagePull
{
    /// <param name="output">Where progress goes: docker pull writes it to stdout, run and create to stderr.</param>
    /// <param name="allTags">Every tag of the repository (docker pull -a): no tag sent.</param>
    public static async Task PullAsync(CliContext cli, ImageReference reference, string platform, bool quiet, TextWriter? output = null, bool allTags = false)
    {
        var query = new Query().Add("fromImage", reference.FamiliarName);
        if (reference.Digest is not null)
            query.Add("tag", reference.Digest);
        else if (!allTags)
            query.Add("tag", reference.Tag ?? "latest");
        query.AddIfNotEmpty("platform", platform);
        var headers = new Dictionary<string, string> { ["X-Registry-Auth"] = RegistryAuths.Header(cli, reference.Domain) };
        using var response = await cli.Client.SendAsync("POST", "/images/create", query, headers: headers).ConfigureAwait(false);
        output ??= cli.Err;
        bool terminal = output == cli.Out ? cli.StdoutIsTerminal : cli.StderrIsTerminal;
        await JsonMessages.DisplayAsync(response.Body, quiet ? null : output, terminal).ConfigureAwait(false);
    }
}
