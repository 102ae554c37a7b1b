using Berth.Oci.Image;
using System.Text;
using System.Text.Json;

namespace Berth.Build.Dockerfile;

/// <summary>
/// buildkit's line parsers (<c>parser/line_parsers.go</c>): how each keyword's text after the flags becomes its
/// arguments. Unknown keywords keep no arguments (the instruction parser refuses them by name).
/// </summary>
internal static class DockerfileLineParsers
{
    public static DockerfileNode NodeFromLine(string line, char escape, SourceLocation at)
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
        DockerfileNode? trigger = null;
        (List<string> args, bool json) = keyword switch
        {
            "cmd" or "entrypoint" or "run" or "shell" => MaybeJson(rest),
            "volume" or "add" or "copy" => MaybeJsonToList(rest),
            "env" => NameValues(rest, "ENV", escape),
            "label" => NameValues(rest, "LABEL", escape),
            "arg" => (Words(rest, escape), false),
            "expose" or "from" => (Whitespace(rest), false),
            "user" or "workdir" or "maintainer" or "stopsignal" => (rest.Length == 0 ? [] : [rest], false),
            "onbuild" => SubCommand(rest, escape, at, out trigger),
            "healthcheck" => HealthCheck(rest),
            _ => ([], false),
        };
        return new DockerfileNode(keyword, line, flags, args, json, [], at, trigger);
    }

    static bool IsSeparator(char c) => c is '\t' or '\v' or '\f' or '\r' or ' ';

    static (List<string>, bool) SubCommand(string rest, char escape, SourceLocation at, out DockerfileNode? trigger)
    {
        trigger = null;
        if (rest.Length == 0)
            return ([], false);
        trigger = NodeFromLine(rest, escape, at);
        return ([trigger.Keyword, .. trigger.Args], false);
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

    /// <summary>Words split on runs of white space (the rest is already trimmed).</summary>
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

    /// <summary>
    /// A JSON array of strings (exec form), or null when the text does not start with one. Like Go's json.Decoder,
    /// only the first value is read: text after the closing bracket is ignored.
    /// </summary>
    static List<string>? JsonArray(string rest)
    {
        rest = rest.TrimStart();
        if (!rest.StartsWith('['))
            return null;
        Utf8JsonReader reader = new(Encoding.UTF8.GetBytes(rest), new JsonReaderOptions { AllowMultipleValues = true });
        List<string> items = [];
        bool allStrings = true;
        try
        {
            reader.Read();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType == JsonTokenType.String)
                {
                    items.Add(reader.GetString()!);
                }
                else
                {
                    allStrings = false;
                    if (reader.TokenType is JsonTokenType.StartArray or JsonTokenType.StartObject)
                        reader.Skip();
                }
            }
            if (reader.TokenType != JsonTokenType.EndArray)
                return null;
        }
        catch (JsonException)
        {
            return null;
        }
        if (!allStrings)
            throw new DockerfileException("when using JSON array syntax, arrays must be comprised of strings only");
        return items;
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
    static (List<string>, bool) NameValues(string rest, string command, char escape)
    {
        List<string> words = Words(rest, escape);
        List<string> pairs = [];
        if (words.Count == 0)
            return (pairs, false);
        if (!words[0].Contains('='))
        {
            int split = 0;
            while (split < rest.Length && !IsSeparator(rest[split]))
                split++;
            if (split == rest.Length)
                throw new DockerfileException($"{command} must have two arguments");
            int value = split;
            while (value < rest.Length && IsSeparator(rest[value]))
                value++;
            return ([rest[..split], rest[value..]], false);
        }
        foreach (string word in words)
        {
            int eq = word.IndexOf('=');
            if (eq < 0)
                throw new DockerfileException($"Syntax error - can't find = in {GoQuote.Quote(word)}. Must be of the form: name=value");
            pairs.Add(word[..eq]);
            pairs.Add(word[(eq + 1)..]);
        }
        return (pairs, false);
    }

    /// <summary>buildkit's parseWords: splits on white space outside quotes, keeping quotes and escapes in the words.</summary>
    internal static List<string> Words(string rest, char escape)
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
                if (ch == escape && quote != '\'')
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
            if (ch == escape)
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
            bool blankOk = false;
            while (pos < line.Length && (quote != '\0' || !char.IsWhiteSpace(line[pos])))
            {
                char ch = line[pos++];
                if (quote == '\0' && ch is '\'' or '"')
                {
                    quote = ch;
                    blankOk = true;
                    continue;
                }
                if (quote != '\0' && ch == quote)
                {
                    quote = '\0';
                    continue;
                }
                if (ch == '\\')
                {
                    if (pos == line.Length)
                        continue;
                    ch = line[pos++];
                }
                word.Append(ch);
            }
            string flag = word.ToString();
            if (flag == "--")
                return line[pos..];
            if (blankOk || flag.Length > 0)
                flags.Add(flag);
        }
    }
}
