using Berth.Oci.Image;
using System.Text;

namespace Berth.Build.Dockerfile;

/// <summary>
/// Docker's Dockerfile word processing (buildkit <c>shell.Lex</c>): removes quotes and escapes (the escape token is
/// <c>\</c> or <c>`</c>, as the <c># escape=</c> directive says) and substitutes <c>$name</c>, <c>${name}</c>,
/// <c>${name:-word}</c>, <c>${name-word}</c>, <c>${name:+word}</c>, <c>${name+word}</c>, <c>${name:?word}</c>,
/// <c>${name?word}</c>, and the pattern forms <c>${name#glob}</c>, <c>${name##glob}</c>, <c>${name%glob}</c>,
/// <c>${name%%glob}</c>, <c>${name/glob/text}</c>, <c>${name//glob/text}</c>. Errors are
/// <see cref="DockerfileException"/>s worded as Docker's (<c>failed to process "word": ...</c>), without a location.
/// </summary>
public sealed class ShellLex(char escape = '\\')
{
    /// <summary>The escape token (<c>\</c> or <c>`</c>).</summary>
    public char Escape { get; } = escape is '\\' or '`' ? escape : throw new ArgumentException($"invalid escape token '{escape}'", nameof(escape));

    /// <summary>Keep quotes in the result (the heredoc delimiter check uses it).</summary>
    public bool RawQuotes { get; init; }

    /// <summary>Keep escape tokens in the result.</summary>
    public bool RawEscapes { get; init; }

    /// <summary>Leave unset variables as written (<c>$name</c>, <c>${name...}</c>) instead of substituting "".</summary>
    public bool SkipUnsetEnv { get; init; }

    /// <summary>The word with quotes and escapes removed and variables substituted; white space kept.</summary>
    public string ProcessWord(string word, IReadOnlyDictionary<string, string> env) => Process(word, env).Result;

    /// <summary>The word processed and split on white space that is neither quoted nor escaped.</summary>
    public List<string> ProcessWords(string word, IReadOnlyDictionary<string, string> env) => Process(word, env).Words;

    /// <summary>
    /// An environment as a map from Docker's <c>k=v</c> list: the first entry of a name wins, as Docker looks names
    /// up (a config's Env before the build args); an entry without <c>=</c> maps to "".
    /// </summary>
    public static Dictionary<string, string> Environment(IEnumerable<string>? env)
    {
        Dictionary<string, string> map = new(StringComparer.Ordinal);
        foreach (string e in env ?? [])
        {
            int eq = e.IndexOf('=');
            map.TryAdd(eq < 0 ? e : e[..eq], eq < 0 ? "" : e[(eq + 1)..]);
        }
        return map;
    }

    (string Result, List<string> Words) Process(string word, IReadOnlyDictionary<string, string> env)
    {
        try
        {
            return new ShellWordScanner(this, word, env).ProcessStopOn(ShellWordScanner.Eof, RawEscapes);
        }
        catch (ShellSyntaxException e)
        {
            throw new DockerfileException($"failed to process {GoQuote.Quote(word)}: {e.Message}");
        }
    }
}

/// <summary>An error of the word processor before it names the word.</summary>
sealed class ShellSyntaxException(string message) : Exception(message);

/// <summary>One word's scan (buildkit's shellWord).</summary>
sealed class ShellWordScanner(ShellLex lex, string source, IReadOnlyDictionary<string, string> env)
{
    public const int Eof = -1;

    int _pos;
    bool _rawEscapes = lex.RawEscapes;

    int Peek() => _pos < source.Length ? source[_pos] : Eof;

    int Next() => _pos < source.Length ? source[_pos++] : Eof;

    public (string Result, List<string> Words) ProcessStopOn(int stop, bool rawEscapes)
    {
        bool saved = _rawEscapes;
        _rawEscapes = rawEscapes || saved;
        try
        {
            return StopOn(stop);
        }
        finally
        {
            _rawEscapes = saved;
        }
    }

    (string Result, List<string> Words) StopOn(int stop)
    {
        StringBuilder result = new();
        WordSplitter words = new();
        while (Peek() != Eof)
        {
            int ch = Peek();
            if (stop != Eof && ch == stop)
            {
                Next();
                return (result.ToString(), words.Finish());
            }
            if (ch == '$')
            {
                string value = ProcessDollar();
                result.Append(value);
                words.AddString(value);
                continue;
            }
            if (ch is '\'' or '"')
            {
                string quoted = ch == '\'' ? ProcessSingleQuote() : ProcessDoubleQuote();
                result.Append(quoted);
                words.AddRaw(quoted);
                continue;
            }
            ch = Next();
            if (ch == lex.Escape)
            {
                if (_rawEscapes)
                {
                    words.AddRaw((char)ch);
                    result.Append((char)ch);
                }
                ch = Next();
                if (ch == Eof)
                    break;
                words.AddRaw((char)ch);
            }
            else
            {
                words.Add((char)ch);
            }
            result.Append((char)ch);
        }
        if (stop != Eof)
            throw new ShellSyntaxException($"unexpected end of statement while looking for matching {(char)stop}");
        return (result.ToString(), words.Finish());
    }

    string ProcessSingleQuote()
    {
        // Everything up to the next ' is literal; ' cannot be escaped inside.
        StringBuilder result = new();
        int ch = Next();
        if (lex.RawQuotes)
            result.Append((char)ch);
        while (true)
        {
            ch = Next();
            if (ch == Eof)
                throw new ShellSyntaxException("unexpected end of statement while looking for matching single-quote");
            if (ch == '\'')
            {
                if (lex.RawQuotes)
                    result.Append('\'');
                return result.ToString();
            }
            result.Append((char)ch);
        }
    }

    string ProcessDoubleQuote()
    {
        // Literal except $ and the escape token, which escapes only " $ and itself.
        StringBuilder result = new();
        int first = Next();
        if (lex.RawQuotes)
            result.Append((char)first);
        while (true)
        {
            switch (Peek())
            {
                case Eof:
                    throw new ShellSyntaxException("unexpected end of statement while looking for matching double-quote");
                case '"':
                    Next();
                    if (lex.RawQuotes)
                        result.Append('"');
                    return result.ToString();
                case '$':
                    result.Append(ProcessDollar());
                    break;
                default:
                    int ch = Next();
                    if (ch == lex.Escape)
                    {
                        if (_rawEscapes)
                            result.Append((char)ch);
                        int after = Peek();
                        if (after == Eof)
                            continue;
                        if (after == '"' || after == '$' || after == lex.Escape)
                            ch = Next();
                    }
                    result.Append((char)ch);
                    break;
            }
        }
    }

    string ProcessDollar()
    {
        Next();
        if (Peek() != '{')
        {
            string name = ProcessName();
            if (name.Length == 0)
                return "$";
            var (value, set) = Lookup(name);
            return !set && lex.SkipUnsetEnv ? "$" + name : value;
        }
        Next();
        switch (Peek())
        {
            case Eof:
                throw new ShellSyntaxException("syntax error: missing '}'");
            case '{' or '}' or ':':
                throw new ShellSyntaxException("syntax error: bad substitution");
        }
        string variable = ProcessName();
        int modifier = Next();
        switch (modifier)
        {
            case '}':
            {
                var (value, set) = Lookup(variable);
                return !set && lex.SkipUnsetEnv ? "${" + variable + "}" : value;
            }
            case ':':
            {
                int after = Next();
                if (after == Eof)
                    throw new ShellSyntaxException("syntax error: missing '}'");
                if (after is not ('-' or '+' or '?'))
                    throw new ShellSyntaxException($"unsupported modifier ({(after == Eof ? "" : ((char)after).ToString())}) in substitution");
                return Default(variable, (char)after, nullIsUnset: true);
            }
            case '-' or '+' or '?':
                return Default(variable, (char)modifier, nullIsUnset: false);
            case '#' or '%':
                return Trim(variable, (char)modifier);
            case '/':
                return Replace(variable);
            default:
                // Docker 20.10's wording for a name not followed by a modifier it knows (or by nothing).
                throw new ShellSyntaxException("missing ':' in substitution");
        }
    }

    string Word(int stop, bool rawEscapes, string missing)
    {
        try
        {
            return ProcessStopOn(stop, rawEscapes).Result;
        }
        catch (ShellSyntaxException) when (Peek() == Eof)
        {
            throw new ShellSyntaxException(missing);
        }
    }

    string Default(string variable, char modifier, bool nullIsUnset)
    {
        string word = Word('}', false, "syntax error: missing '}'");
        var (value, set) = Lookup(variable);
        if (!set && lex.SkipUnsetEnv)
            return "${" + variable + (nullIsUnset ? ":" : "") + modifier + word + "}";
        bool absent = !set || (nullIsUnset && value.Length == 0);
        return modifier switch
        {
            '-' => absent ? word : value,
            '+' => absent ? "" : word,
            _ when !set => throw new ShellSyntaxException($"{variable}: {(word.Length > 0 ? word : "is not allowed to be unset")}"),
            _ when absent => throw new ShellSyntaxException($"{variable}: {(word.Length > 0 ? word : "is not allowed to be empty")}"),
            _ => value,
        };
    }

    string Trim(string variable, char modifier)
    {
        // Escapes stay in the pattern so that \* matches a star.
        string word = Word('}', true, "syntax error: missing '}'");
        var (value, set) = Lookup(variable);
        if (!set && lex.SkipUnsetEnv)
            return "${" + variable + modifier + word + "}";
        bool greedy = word.Length > 0 && word[0] == modifier;
        if (greedy)
            word = word[1..];
        var pattern = ShellPattern.Parse(word, lex.Escape);
        return modifier == '#' ? pattern.TrimPrefix(value, greedy) : pattern.TrimSuffix(value, greedy);
    }

    string Replace(string variable)
    {
        bool all = Peek() == '/';
        if (all)
            Next();
        string pattern = Word('/', true, "syntax error: missing '/' in ${}");
        string replacement = Word('}', true, "syntax error: missing '}'");
        var (value, set) = Lookup(variable);
        if (!set && lex.SkipUnsetEnv)
            return "${" + variable + (all ? "//" : "/") + pattern + "/" + replacement + "}";
        return ShellPattern.Parse(pattern, lex.Escape).Replace(value, replacement, all);
    }

    string ProcessName()
    {
        StringBuilder name = new();
        while (Peek() != Eof)
        {
            char ch = (char)Peek();
            if (name.Length == 0 && char.IsDigit(ch))
            {
                while (Peek() != Eof && char.IsDigit((char)Peek()))
                    name.Append((char)Next());
                return name.ToString();
            }
            if (name.Length == 0 && ch is '@' or '*' or '#' or '?' or '-' or '$' or '!' or '0')
                return ((char)Next()).ToString();
            if (!char.IsLetterOrDigit(ch) && ch != '_')
                break;
            name.Append((char)Next());
        }
        return name.ToString();
    }

    (string Value, bool Set) Lookup(string name)
        => env.TryGetValue(name, out string? value) ? (value, true) : ("", false);

    /// <summary>Splits the processed text into words on unquoted white space (buildkit's wordsStruct).</summary>
    sealed class WordSplitter
    {
        readonly List<string> _words = [];
        readonly StringBuilder _word = new();
        bool _inWord;

        public void Add(char ch)
        {
            if (char.IsWhiteSpace(ch))
            {
                if (_inWord && _word.Length > 0)
                {
                    _words.Add(_word.ToString());
                    _word.Clear();
                    _inWord = false;
                }
            }
            else
            {
                AddRaw(ch);
            }
        }

        public void AddRaw(char ch)
        {
            _word.Append(ch);
            _inWord = true;
        }

        public void AddString(string s)
        {
            foreach (char ch in s)
                Add(ch);
        }

        public void AddRaw(string s)
        {
            _word.Append(s);
            _inWord = true;
        }

        public List<string> Finish()
        {
            if (_word.Length > 0)
            {
                _words.Add(_word.ToString());
                _word.Clear();
                _inWord = false;
            }
            return _words;
        }
    }
}
