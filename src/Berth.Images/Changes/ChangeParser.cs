using System.Text;
using System.Text.Json;

namespace Berth.Images.Changes;

/// <summary>
/// One parsed instruction (buildkit's parser <c>Node</c>): the keyword in lower case, the words after it as the
/// keyword's line parser split them (quotes still in place for ENV and LABEL), and the <c>--flags</c> before them.
/// ENV and LABEL arguments come in pairs (key, value). An ONBUILD's arguments are its trigger's keyword and arguments.
/// </summary>
internal sealed record Instruction(string Keyword, string Original, IReadOnlyList<string> Flags, IReadOnlyList<string> Args, bool Json);

/// <summary>
/// The Dockerfile parser as Docker runs it on <c>--change</c> values joined by newlines (buildkit
/// <c>parser.Parse</c>): blank lines and comments skipped, a trailing <c>\</c> continues onto the next line, each
/// keyword's arguments split by its line parser. Errors are <see cref="FormatException"/>s with Docker's texts.
/// </summary>
internal static class ChangeParser
{
    public static List<Instruction> Parse(string text)
    {
        string[] lines = text.Split('\n');
        List<Instruction> result = [];
        for (int i = 0; i < lines.Length; i++)
        {
            string line = TrimComment(lines[i].TrimEnd('\r').TrimStart());
            bool continues = TrimContinuation(ref line);
            if (!continues && line.Length == 0)
                continue;
            while (continues && i + 1 < lines.Length)
            {
                string raw = lines[++i].TrimEnd('\r');
                if (IsComment(raw))
                    continue;
                string next = TrimComment(raw);
                if (next.Trim().Length == 0)
                    continue;
                continues = TrimContinuation(ref next);
                line += next;
            }
            result.Add(ParseLine(line));
        }
        if (result.Count == 0)
            throw new FormatException("file with no instructions");
        return result;
    }

    static bool IsComment(string line) => line.TrimStart().StartsWith('#');

    static string TrimComment(string line) => line.StartsWith('#') ? "" : line;

    /// <summary>Removes Docker's line continuation (<c>\</c> then spaces or tabs at the end); true if there was one.</summary>
    static bool TrimContinuation(ref string line)
    {
        string trimmed = line.TrimEnd(' ', '\t');
        if (!trimmed.EndsWith('\\'))
            return false;
        line = trimmed[..^1];
        return true;
    }

    static bool IsSeparator(char c) => c is '\t' or '\v' or '\f' or '\r' or ' ';

    static Instruction ParseLine(string line)
    {
        string trimmed = line.Trim();
        int end = 0;
        while (end < trimmed.Length && !IsSeparator(trimmed[end]))
            end++;
        string keyword = trimmed[..end].ToLowerInvariant();
        List<string> flags = [];
        string rest = "";
        if (end < trimmed.Length)
        {
            int start = end;
            while (start < trimmed.Length && IsSeparator(trimmed[start]))
                start++;
            rest = ExtractFlags(trimmed[start..], flags).Trim();
        }
        (List<string> args, bool json) = keyword switch
        {
            "cmd" or "entrypoint" or "run" or "shell" => MaybeJson(rest),
            "volume" or "add" or "copy" => MaybeJsonToList(rest),
            "env" => NameValues(rest, "ENV"),
            "label" => NameValues(rest, "LABEL"),
            "expose" or "from" => (Whitespace(rest), false),
            "user" or "workdir" or "maintainer" or "stopsignal" => (rest.Length == 0 ? [] : [rest], false),
            "onbuild" => (SubCommand(rest), false),
            "healthcheck" => HealthCheck(rest),
            _ => ([], false),
        };
        return new Instruction(keyword, line, flags, args, json);
    }

    static List<string> SubCommand(string rest)
    {
        if (rest.Length == 0)
            return [];
        Instruction trigger = ParseLine(rest);
        return [trigger.Keyword, .. trigger.Args];
    }

    static (List<string>, bool) HealthCheck(string rest)
    {
        int sep = 0;
        while (sep < rest.Length && !char.IsWhiteSpace(rest[sep]))
            sep++;
        if (sep == 0)
            return ([], false);
        (List<string> args, bool json) = MaybeJson(rest[sep..].TrimStart());
        return ([rest[..sep], .. args], json);
    }

    static List<string> Whitespace(string rest)
    {
        List<string> words = [];
        if (rest.Length == 0)
            return words;
        int i = 0;
        while (i <= rest.Length)
        {
            int start = i;
            while (i < rest.Length && !IsSeparator(rest[i]))
                i++;
            words.Add(rest[start..i]);
            while (i < rest.Length && IsSeparator(rest[i]))
                i++;
            if (i == rest.Length)
                break;
        }
        return words;
    }

    /// <summary>A JSON array of strings (exec form), or null when the text is not a JSON array at all.</summary>
    static List<string>? JsonArray(string rest)
    {
        rest = rest.TrimStart();
        if (!rest.StartsWith('['))
            return null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(rest);
        }
        catch (JsonException)
        {
            return null;
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
                return null;
            List<string> items = [];
            foreach (JsonElement item in document.RootElement.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String)
                    throw new FormatException("when using JSON array syntax, arrays must be comprised of strings only");
                items.Add(item.GetString()!);
            }
            return items;
        }
    }

    static (List<string>, bool) MaybeJson(string rest)
    {
        if (rest.Length == 0)
            return ([], false);
        return JsonArray(rest) is { } items ? (items, true) : ([rest], false);
    }

    static (List<string>, bool) MaybeJsonToList(string rest)
        => JsonArray(rest) is { } items ? (items, true) : (Whitespace(rest), false);

    /// <summary>ENV and LABEL: <c>k=v k2="v 2"</c>, or the legacy <c>k v with spaces</c> when the first word has no <c>=</c>.</summary>
    static (List<string>, bool) NameValues(string rest, string command)
    {
        List<string> words = Words(rest);
        List<string> pairs = [];
        if (words.Count == 0)
            return (pairs, false);
        if (!words[0].Contains('='))
        {
            int split = 0;
            while (split < rest.Length && !IsSeparator(rest[split]))
                split++;
            if (split == rest.Length)
                throw new FormatException($"{command} must have two arguments");
            int value = split;
            while (value < rest.Length && IsSeparator(rest[value]))
                value++;
            return ([rest[..split], rest[value..]], false);
        }
        foreach (string word in words)
        {
            int eq = word.IndexOf('=');
            if (eq < 0)
                throw new FormatException($"Syntax error - can't find = in {GoQuote.Quote(word)}. Must be of the form: name=value");
            pairs.Add(word[..eq]);
            pairs.Add(word[(eq + 1)..]);
        }
        return (pairs, false);
    }

    /// <summary>buildkit's parseWords: splits on white space outside quotes, keeping quotes and escapes in the words.</summary>
    static List<string> Words(string rest)
    {
        List<string> words = [];
        StringBuilder word = new();
        bool inWord = false, blankOk = false;
        char quote = '\0';
        bool inQuote = false;
        for (int pos = 0; pos < rest.Length; pos++)
        {
            char ch = rest[pos];
            if (!inWord && !inQuote)
            {
                if (char.IsWhiteSpace(ch))
                    continue;
                inWord = true;
            }
            if (inQuote)
            {
                if (ch == quote)
                    inQuote = false;
                if (ch == '\\' && quote != '\'')
                {
                    if (pos + 1 == rest.Length)
                    {
                        inQuote = false;
                        continue;
                    }
                    word.Append(ch);
                    ch = rest[++pos];
                }
                word.Append(ch);
                continue;
            }
            if (char.IsWhiteSpace(ch))
            {
                if (blankOk || word.Length > 0)
                    words.Add(word.ToString());
                word.Clear();
                blankOk = false;
                inWord = false;
                continue;
            }
            if (ch is '\'' or '"')
            {
                quote = ch;
                blankOk = true;
                inQuote = true;
            }
            if (ch == '\\')
            {
                if (pos + 1 == rest.Length)
                    continue;
                word.Append(ch);
                ch = rest[++pos];
            }
            word.Append(ch);
        }
        if ((inWord || inQuote) && (blankOk || word.Length > 0))
            words.Add(word.ToString());
        return words;
    }

    /// <summary>buildkit's extractBuilderFlags: leading <c>--name[=value]</c> words; returns the rest of the line.</summary>
    static string ExtractFlags(string line, List<string> flags)
    {
        int pos = 0;
        while (true)
        {
            while (pos < line.Length && char.IsWhiteSpace(line[pos]))
                pos++;
            if (pos + 1 >= line.Length || line[pos] != '-' || line[pos + 1] != '-')
                return line[pos..];
            StringBuilder word = new();
            char quote = '\0';
            while (pos < line.Length && (quote != '\0' || !char.IsWhiteSpace(line[pos])))
            {
                char ch = line[pos++];
                if (quote == '\0' && ch is '\'' or '"')
                {
                    quote = ch;
                    continue;
                }
                if (quote != '\0' && ch == quote)
                {
                    quote = '\0';
                    continue;
                }
                if (ch == '\\' && pos < line.Length)
                    ch = line[pos++];
                word.Append(ch);
            }
            if (word.ToString() == "--")
                return line[pos..];
            flags.Add(word.ToString());
        }
    }
}
