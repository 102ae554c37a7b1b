using System.Text.RegularExpressions;

namespace Berth.Build.Dockerfile;

/// <summary>
/// buildkit's heredoc recognition: the words of an instruction line of the form <c>&lt;&lt;NAME</c>,
/// <c>&lt;&lt;-NAME</c> (leading tabs stripped), <c>&lt;&lt;"NAME"</c> or <c>&lt;&lt;'NAME'</c> (a quoted name: the
/// body is not expanded), optionally after a file descriptor number (<c>3&lt;&lt;EOF</c>).
/// </summary>
internal static partial class HeredocWords
{
    [GeneratedRegex(@"^(\d*)<<(-?)([^<]*)$")]
    private static partial Regex HeredocPattern();

    static readonly Dictionary<string, string> NoEnv = [];

    /// <summary>The heredocs a line declares, in order, their contents still empty.</summary>
    public static List<Heredoc> FromLine(string line, SourceLocation at)
    {
        List<string> words;
        try
        {
            words = new ShellLex('\\') { RawQuotes = true, RawEscapes = true }.ProcessWords(line, NoEnv);
        }
        catch (DockerfileException)
        {
            // buildkit ignores a line it cannot split here; the instruction's own parse reports it.
            return [];
        }
        List<Heredoc> heredocs = [];
        foreach (string word in words)
        {
            if (Parse(word, at) is { } heredoc)
                heredocs.Add(heredoc);
        }
        return heredocs;
    }

    /// <summary>The heredoc a word declares, or null when it declares none.</summary>
    public static Heredoc? Parse(string word, SourceLocation? at = null)
    {
        Match match = HeredocPattern().Match(word);
        if (!match.Success)
            return null;
        bool chomp = match.Groups[2].Value == "-";
        string rest = match.Groups[3].Value;
        if (rest.Length == 0)
            return null;
        try
        {
            // Lexed with and without quotes: if the counts of quotes differ, part of the name was quoted, and the body is literal.
            List<string> words = new ShellLex('\\') { SkipUnsetEnv = true }.ProcessWords(rest, NoEnv);
            if (words.Count != 1)
                return null;
            List<string> raw = new ShellLex('\\') { SkipUnsetEnv = true, RawQuotes = true }.ProcessWords(rest, NoEnv);
            if (raw.Count != 1)
                throw new DockerfileException($"internal lexing of heredoc produced inconsistent results: {rest}", at);
            bool expand = Quotes(words[0]) == Quotes(raw[0]);
            return new Heredoc(words[0], "", expand, chomp);
        }
        catch (DockerfileException e) when (e.Location is null && at is not null)
        {
            throw new DockerfileException(e.Message, at);
        }
    }

    static int Quotes(string word) => word.Count(c => c is '\'' or '"');
}
