namespace Berth.Linux.Net;

/// <summary>
/// An nftables script that libnftables refused: nothing of it was applied. The message names the script by
/// its first line (the table it concerns, in Berth's scripts) and carries nft's own error text: the error,
/// the line of the script it concerns with its number, and carets under the part at fault.
/// </summary>
public sealed class NftablesException(string script, string errors)
    : Exception(Format(script, errors))
{
    /// <summary>The whole script that failed.</summary>
    public string Script { get; } = script;

    /// <summary>nft's error text (<c>line 3:1-40: Error: ...</c>, the line, the carets).</summary>
    public string Errors { get; } = errors;

    static string Format(string script, string errors)
    {
        string text = errors.TrimEnd();
        if (script.Length == 0)
            return $"nftables: {text}";
        string first = script.AsSpan().TrimStart().ToString();
        int end = first.IndexOfAny(['\n', ';']);
        if (end >= 0)
            first = first[..end];
        int lines = script.AsSpan().TrimEnd().Count('\n') + 1;
        return $"nftables script '{first.Trim()}' ({lines} line{(lines == 1 ? "" : "s")}) failed: {text}";
    }
}
