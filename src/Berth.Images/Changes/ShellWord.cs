using System.Text;

namespace Berth.Images.Changes;

/// <summary>
/// Docker's Dockerfile word processing (buildkit <c>shell.Lex</c> with the escape token <c>\</c>): removes quotes and
/// escapes and substitutes <c>$name</c>, <c>${name}</c>, <c>${name:-word}</c>, <c>${name-word}</c>,
/// <c>${name:+word}</c>, <c>${name+word}</c>, <c>${name:?word}</c> and <c>${name?word}</c> from an environment.
/// Pattern modifiers (<c>#</c>, <c>%</c>, <c>/</c>) are refused as Docker 20.10 refuses them. Errors are
/// <see cref="FormatException"/>s worded as Docker's, without the <c>failed to process</c> prefix.
/// </summary>
internal sealed class ShellWord
{
    const char Escape = '\\';
    const int Eof = -1;

    readonly string _source;
    readonly IReadOnlyDictionary<string, string> _env;
    int _pos;

    ShellWord(string source, IReadOnlyDictionary<string, string> env)
    {
        _source = source;
        _env = env;
    }

    /// <summary>The word with quotes and escapes removed and variables substituted; spaces kept (ProcessWord).</summary>
    public static string Process(string word, IReadOnlyDictionary<string, string> env)
        => Run(word, env).Result;

    /// <summary>The word processed and split on unquoted white space after substitution (ProcessWords).</summary>
    public static List<string> ProcessWords(string word, IReadOnlyDictionary<string, string> env)
        => Run(word, env).Words;

    /// <summary>Docker's BuildEnvs: <c>k=v</c> entries as a map, later ones winning; an entry without <c>=</c> maps to "".</summary>
    public static Dictionary<string, string> Environment(IEnumerable<string>? env)
    {
        Dictionary<string, string> map = new(StringComparer.Ordinal);
        foreach (string e in env ?? [])
        {
            int eq = e.IndexOf('=');
            if (eq < 0)
                map[e] = "";
            else
                map[e[..eq]] = e[(eq + 1)..];
        }
        return map;
    }

    static (string Result, List<string> Words) Run(string word, IReadOnlyDictionary<string, string> env)
    {
        try
        {
            return new ShellWord(word, env).ProcessStopOn(Eof);
        }
        catch (FormatException e)
        {
            throw new FormatException($"failed to process {GoQuote.Quote(word)}: {e.Message}");
        }
    }

    int Peek() => _pos < _source.Length ? _source[_pos] : Eof;

    int Next() => _pos < _source.Length ? _source[_pos++] : Eof;

    (string Result, List<string> Words) ProcessStopOn(int stop)
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
            if (ch is '$' or '\'' or '"')
            {
                string part = ch switch
                {
                    '$' => ProcessDollar(),
                    '\'' => ProcessSingleQuote(),
                    _ => ProcessDoubleQuote(),
                };
                result.Append(part);
                if (ch == '$')
                    words.AddString(part);
                else
                    words.AddRaw(part);
                continue;
            }
            ch = Next();
            if (ch == Escape)
            {
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
            throw new FormatException($"unexpected end of statement while looking for matching {(char)stop}");
        return (result.ToString(), words.Finish());
    }

    string ProcessSingleQuote()
    {
        // Everything up to the next ' is literal; ' cannot be escaped inside.
        Next();
        StringBuilder result = new();
        while (true)
        {
            int ch = Next();
            if (ch == Eof)
                throw new FormatException("unexpected end of statement while looking for matching single-quote");
            if (ch == '\'')
                return result.ToString();
            result.Append((char)ch);
        }
    }

    string ProcessDoubleQuote()
    {
        // Literal except $ and the escape token, which escapes only " $ and itself.
        Next();
        StringBuilder result = new();
        while (true)
        {
            switch (Peek())
            {
                case Eof:
                    throw new FormatException("unexpected end of statement while looking for matching double-quote");
                case '"':
                    Next();
                    return result.ToString();
                case '$':
                    result.Append(ProcessDollar());
                    break;
                default:
                    int ch = Next();
                    if (ch == Escape)
                    {
                        int after = Peek();
                        if (after == Eof)
                            continue;
                        if (after is '"' or '$' or Escape)
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
            return name.Length == 0 ? "$" : Lookup(name).Value;
        }
        Next();
        switch (Peek())
        {
            case Eof:
                throw new FormatException("syntax error: missing '}'");
            case '{' or '}' or ':':
                throw new FormatException("syntax error: bad substitution");
        }
        string variable = ProcessName();
        int modifier = Next();
        if (modifier == Eof)
            throw new FormatException("syntax error: missing '}'");
        if (modifier == '}')
            return Lookup(variable).Value;
        bool nullIsUnset = false;
        string shown = modifier == Eof ? "" : ((char)modifier).ToString();
        if (modifier == ':')
        {
            nullIsUnset = true;
            modifier = Next();
            shown += modifier == Eof ? "" : ((char)modifier).ToString();
        }
        if (modifier is not ('-' or '+' or '?'))
            throw new FormatException($"unsupported modifier ({shown}) in substitution");
        string word;
        try
        {
            word = ProcessStopOn('}').Result;
        }
        catch (FormatException) when (Peek() == Eof)
        {
            throw new FormatException("syntax error: missing '}'");
        }
        var (value, set) = Lookup(variable);
        bool absent = !set || (nullIsUnset && value.Length == 0);
        return modifier switch
        {
            '-' => absent ? word : value,
            '+' => absent ? "" : word,
            _ when !set => throw new FormatException($"{variable}: {(word.Length > 0 ? word : "is not allowed to be unset")}"),
            _ when absent => throw new FormatException($"{variable}: {(word.Length > 0 ? word : "is not allowed to be empty")}"),
            _ => value,
        };
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
        => _env.TryGetValue(name, out string? value) ? (value, true) : ("", false);

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

/// <summary>Go's <c>%q</c> for the strings in Docker's messages (printable ASCII and the usual escapes).</summary>
internal static class GoQuote
{
    public static string Quote(string s)
    {
        StringBuilder b = new(s.Length + 2);
        b.Append('"');
        foreach (char c in s)
        {
            switch (c)
            {
                case '"': b.Append("\\\""); break;
                case '\\': b.Append("\\\\"); break;
                case '\n': b.Append("\\n"); break;
                case '\r': b.Append("\\r"); break;
                case '\t': b.Append("\\t"); break;
                default:
                    if (c < 0x20 || c == 0x7f)
                        b.Append($"\\x{(int)c:x2}");
                    else
                        b.Append(c);
                    break;
            }
        }
        return b.Append('"').ToString();
    }
}
