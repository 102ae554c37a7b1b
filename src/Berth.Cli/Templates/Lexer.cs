using System.Text;

namespace Berth.Cli.Templates;

internal enum TokenKind
{
    Error,
    Bool,
    Char,
    CharConstant,
    Comment,
    Complex,
    Assign,
    Declare,
    Eof,
    Field,
    Identifier,
    LeftDelim,
    LeftParen,
    Number,
    Pipe,
    RawString,
    RightDelim,
    RightParen,
    Space,
    String,
    Text,
    Variable,
    // Keywords follow; everything after Keyword is one.
    Keyword,
    Block,
    Break,
    Continue,
    Dot,
    Define,
    Else,
    End,
    If,
    Nil,
    Range,
    Template,
    With,
}

/// <summary>A token; <see cref="Pos"/> is a char offset into the template text.</summary>
internal readonly record struct Token(TokenKind Kind, int Pos, string Val, int Line)
{
    /// <summary>The token as Go's parse errors show it (item.String()).</summary>
    public override string ToString()
    {
        if (Kind == TokenKind.Eof) return "EOF";
        if (Kind == TokenKind.Error) return Val;
        if (Kind > TokenKind.Keyword) return "<" + Val + ">";
        int runes = 0;
        int cut = Val.Length;
        int idx = 0;
        foreach (var r in Val.EnumerateRunes())
        {
            if (runes == 10) { cut = idx; break; }
            runes++;
            idx += r.Utf16SequenceLength;
        }
        return cut < Val.Length ? GoQuote.Quote(Val[..cut]) + "..." : GoQuote.Quote(Val);
    }
}

/// <summary>
/// Go's text/template lexer: splits text and actions, handles trim markers (<c>{{- -}}</c>)
/// and comments, and tokenizes the inside of actions. Pulled one token at a time by the parser.
/// </summary>
internal sealed class Lexer
{
    private const string LeftDelim = "{{";
    private const string RightDelim = "}}";
    private const string LeftComment = "/*";
    private const string RightComment = "*/";
    private const char TrimMarker = '-';
    private const int TrimMarkerLen = 2;
    private const int EofRune = -1;

    private delegate StateFn? StateFn(Lexer l);

    private static readonly Dictionary<string, TokenKind> Keywords = new()
    {
        ["."] = TokenKind.Dot,
        ["block"] = TokenKind.Block,
        ["break"] = TokenKind.Break,
        ["continue"] = TokenKind.Continue,
        ["define"] = TokenKind.Define,
        ["else"] = TokenKind.Else,
        ["end"] = TokenKind.End,
        ["if"] = TokenKind.If,
        ["range"] = TokenKind.Range,
        ["nil"] = TokenKind.Nil,
        ["template"] = TokenKind.Template,
        ["with"] = TokenKind.With,
    };

    private string _input;
    private int _pos;
    private int _start;
    private bool _atEof;
    private int _parenDepth;
    private int _line = 1;
    private int _startLine = 1;
    private Token _item;
    private bool _insideAction;
    private readonly bool _breakOk;
    private readonly bool _continueOk;

    public Lexer(string input, bool breakOk, bool continueOk)
    {
        _input = input;
        _breakOk = breakOk;
        _continueOk = continueOk;
    }

    public Token NextItem()
    {
        _item = new Token(TokenKind.Eof, _pos, "EOF", _startLine);
        StateFn? state = _insideAction ? LexInsideAction : LexText;
        while (state is not null) state = state(this);
        return _item;
    }

    // ---- rune reading ----

    private int Next()
    {
        if (_pos >= _input.Length)
        {
            _atEof = true;
            return EofRune;
        }
        Rune.DecodeFromUtf16(_input.AsSpan(_pos), out Rune r, out int width);
        _pos += width;
        if (r.Value == '\n') _line++;
        return r.Value;
    }

    private int Peek()
    {
        int r = Next();
        Backup();
        return r;
    }

    private void Backup()
    {
        if (!_atEof && _pos > 0)
        {
            Rune.DecodeLastFromUtf16(_input.AsSpan(0, _pos), out Rune r, out int width);
            _pos -= width;
            if (r.Value == '\n') _line--;
        }
    }

    private Token ThisItem(TokenKind kind)
    {
        var t = new Token(kind, _start, _input[_start.._pos], _startLine);
        _start = _pos;
        _startLine = _line;
        return t;
    }

    private StateFn? Emit(TokenKind kind) => EmitItem(ThisItem(kind));

    private StateFn? EmitItem(Token t)
    {
        _item = t;
        return null;
    }

    private void Ignore()
    {
        _line += Count(_input, _start, _pos, '\n');
        _start = _pos;
        _startLine = _line;
    }

    private bool Accept(string valid)
    {
        int r = Next();
        if (r != EofRune && valid.Contains((char)r)) return true;
        Backup();
        return false;
    }

    private void AcceptRun(string valid)
    {
        while (true)
        {
            int r = Next();
            if (r == EofRune || r > char.MaxValue || !valid.Contains((char)r)) break;
        }
        Backup();
    }

    private StateFn? Errorf(string message)
    {
        _item = new Token(TokenKind.Error, _start, message, _startLine);
        _start = 0;
        _pos = 0;
        _input = "";
        return null;
    }

    private static int Count(string s, int from, int to, char c)
    {
        int n = 0;
        for (int i = from; i < to; i++)
            if (s[i] == c) n++;
        return n;
    }

    private static bool IsSpace(int r) => r is ' ' or '\t' or '\r' or '\n';

    private static bool IsAlphaNumeric(int r)
    {
        if (r == '_') return true;
        if (r < 0 || r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF)) return false;
        var rune = new Rune(r);
        return Rune.IsLetter(rune) || Rune.GetUnicodeCategory(rune) == System.Globalization.UnicodeCategory.DecimalDigitNumber;
    }

    private static bool HasLeftTrimMarker(string s, int at) =>
        s.Length - at >= 2 && s[at] == TrimMarker && IsSpace(s[at + 1]);

    private static bool HasRightTrimMarker(string s, int at) =>
        s.Length - at >= 2 && IsSpace(s[at]) && s[at + 1] == TrimMarker;

    private static int RightTrimLength(string s, int from, int to)
    {
        int i = to;
        while (i > from && IsSpace(s[i - 1])) i--;
        return to - i;
    }

    private static int LeftTrimLength(string s, int from)
    {
        int i = from;
        while (i < s.Length && IsSpace(s[i])) i++;
        return i - from;
    }

    private bool AtRightDelim(out bool trimSpaces)
    {
        if (HasRightTrimMarker(_input, _pos)
            && _input.AsSpan(_pos + TrimMarkerLen).StartsWith(RightDelim, StringComparison.Ordinal))
        {
            trimSpaces = true;
            return true;
        }
        trimSpaces = false;
        return _input.AsSpan(_pos).StartsWith(RightDelim, StringComparison.Ordinal);
    }

    // ---- states ----

    private static StateFn? LexText(Lexer l)
    {
        int x = l._input.IndexOf(LeftDelim, l._pos, StringComparison.Ordinal);
        if (x >= 0)
        {
            if (x > l._pos)
            {
                l._pos = x;
                int trimLength = 0;
                int delimEnd = l._pos + LeftDelim.Length;
                if (HasLeftTrimMarker(l._input, delimEnd))
                    trimLength = RightTrimLength(l._input, l._start, l._pos);
                l._pos -= trimLength;
                l._line += Count(l._input, l._start, l._pos, '\n');
                var item = l.ThisItem(TokenKind.Text);
                l._pos += trimLength;
                l.Ignore();
                if (item.Val.Length > 0) return l.EmitItem(item);
            }
            return LexLeftDelim;
        }
        l._pos = l._input.Length;
        if (l._pos > l._start)
        {
            l._line += Count(l._input, l._start, l._pos, '\n');
            return l.Emit(TokenKind.Text);
        }
        return l.Emit(TokenKind.Eof);
    }

    private static StateFn? LexLeftDelim(Lexer l)
    {
        l._pos += LeftDelim.Length;
        bool trimSpace = HasLeftTrimMarker(l._input, l._pos);
        int afterMarker = trimSpace ? TrimMarkerLen : 0;
        if (l._input.AsSpan(l._pos + afterMarker).StartsWith(LeftComment, StringComparison.Ordinal))
        {
            l._pos += afterMarker;
            l.Ignore();
            return LexComment;
        }
        var item = l.ThisItem(TokenKind.LeftDelim);
        l._insideAction = true;
        l._pos += afterMarker;
        l.Ignore();
        l._parenDepth = 0;
        return l.EmitItem(item);
    }

    private static StateFn? LexComment(Lexer l)
    {
        l._pos += LeftComment.Length;
        int x = l._input.IndexOf(RightComment, l._pos, StringComparison.Ordinal);
        if (x < 0) return l.Errorf("unclosed comment");
        l._pos = x + RightComment.Length;
        if (!l.AtRightDelim(out bool trimSpace)) return l.Errorf("comment ends before closing delimiter");
        l._line += Count(l._input, l._start, l._pos, '\n');
        l.ThisItem(TokenKind.Comment);
        if (trimSpace) l._pos += TrimMarkerLen;
        l._pos += RightDelim.Length;
        if (trimSpace) l._pos += LeftTrimLength(l._input, l._pos);
        l.Ignore();
        return LexText;
    }

    private static StateFn? LexRightDelim(Lexer l)
    {
        l.AtRightDelim(out bool trimSpace);
        if (trimSpace)
        {
            l._pos += TrimMarkerLen;
            l.Ignore();
        }
        l._pos += RightDelim.Length;
        var item = l.ThisItem(TokenKind.RightDelim);
        if (trimSpace)
        {
            l._pos += LeftTrimLength(l._input, l._pos);
            l.Ignore();
        }
        l._insideAction = false;
        return l.EmitItem(item);
    }

    private static StateFn? LexInsideAction(Lexer l)
    {
        if (l.AtRightDelim(out _))
        {
            if (l._parenDepth == 0) return LexRightDelim;
            return l.Errorf("unclosed left paren");
        }
        int r = l.Next();
        switch (r)
        {
            case EofRune:
                return l.Errorf("unclosed action");
            case ' ' or '\t' or '\r' or '\n':
                l.Backup(); // Put the space back in case of " -}}".
                return LexSpace;
            case '=':
                return l.Emit(TokenKind.Assign);
            case ':':
                if (l.Next() != '=') return l.Errorf("expected :=");
                return l.Emit(TokenKind.Declare);
            case '|':
                return l.Emit(TokenKind.Pipe);
            case '"':
                return LexQuote;
            case '`':
                return LexRawQuote;
            case '$':
                return LexVariable;
            case '\'':
                return LexChar;
            case '(':
                l._parenDepth++;
                return l.Emit(TokenKind.LeftParen);
            case ')':
                l._parenDepth--;
                if (l._parenDepth < 0) return l.Errorf("unexpected right paren");
                return l.Emit(TokenKind.RightParen);
        }
        if (r == '.')
        {
            // Special look-ahead for ".field" so as not to break Backup.
            if (l._pos < l._input.Length)
            {
                char c = l._input[l._pos];
                if (c < '0' || c > '9') return LexField;
            }
            l.Backup();
            return LexNumber;
        }
        if (r is '+' or '-' || (r >= '0' && r <= '9'))
        {
            l.Backup();
            return LexNumber;
        }
        if (IsAlphaNumeric(r))
        {
            l.Backup();
            return LexIdentifier;
        }
        if (r <= 0x7F && r >= 0x20 && r != 0x7F)
            return l.Emit(TokenKind.Char);
        return l.Errorf("unrecognized character in action: " + RuneDescription(r));
    }

    private static StateFn? LexSpace(Lexer l)
    {
        int numSpaces = 0;
        while (true)
        {
            int r = l.Peek();
            if (!IsSpace(r)) break;
            l.Next();
            numSpaces++;
        }
        // A trim-marked closing delimiter starts with a space; check for the '-' that might follow.
        if (HasRightTrimMarker(l._input, l._pos - 1)
            && l._input.AsSpan(l._pos - 1 + TrimMarkerLen).StartsWith(RightDelim, StringComparison.Ordinal))
        {
            l.Backup(); // Before the space.
            if (numSpaces == 1) return LexRightDelim;
        }
        return l.Emit(TokenKind.Space);
    }

    private static StateFn? LexIdentifier(Lexer l)
    {
        while (true)
        {
            int r = l.Next();
            if (IsAlphaNumeric(r)) continue;
            l.Backup();
            string word = l._input[l._start..l._pos];
            if (!l.AtTerminator()) return l.Errorf("bad character " + RuneDescription(r));
            if (Keywords.TryGetValue(word, out var kw) && kw > TokenKind.Keyword)
            {
                if ((kw == TokenKind.Break && !l._breakOk) || (kw == TokenKind.Continue && !l._continueOk))
                    return l.Emit(TokenKind.Identifier);
                return l.Emit(kw);
            }
            if (word[0] == '.') return l.Emit(TokenKind.Field);
            if (word is "true" or "false") return l.Emit(TokenKind.Bool);
            return l.Emit(TokenKind.Identifier);
        }
    }

    private static StateFn? LexField(Lexer l) => l.LexFieldOrVariable(TokenKind.Field);

    private static StateFn? LexVariable(Lexer l)
    {
        if (l.AtTerminator()) return l.Emit(TokenKind.Variable);
        return l.LexFieldOrVariable(TokenKind.Variable);
    }

    private StateFn? LexFieldOrVariable(TokenKind kind)
    {
        if (AtTerminator())
            return kind == TokenKind.Variable ? Emit(TokenKind.Variable) : Emit(TokenKind.Dot);
        int r;
        while (true)
        {
            r = Next();
            if (!IsAlphaNumeric(r))
            {
                Backup();
                break;
            }
        }
        if (!AtTerminator()) return Errorf("bad character " + RuneDescription(r));
        return Emit(kind);
    }

    private bool AtTerminator()
    {
        int r = Peek();
        if (IsSpace(r)) return true;
        switch (r)
        {
            case EofRune:
            case '.':
            case ',':
            case '|':
            case ':':
            case ')':
            case '(':
                return true;
        }
        return _input.AsSpan(_pos).StartsWith(RightDelim, StringComparison.Ordinal);
    }

    private static StateFn? LexChar(Lexer l)
    {
        while (true)
        {
            int r = l.Next();
            if (r == '\\')
            {
                int n = l.Next();
                if (n != EofRune && n != '\n') continue;
                return l.Errorf("unterminated character constant");
            }
            if (r is EofRune or '\n') return l.Errorf("unterminated character constant");
            if (r == '\'') break;
        }
        return l.Emit(TokenKind.CharConstant);
    }

    private static StateFn? LexNumber(Lexer l)
    {
        if (!l.ScanNumber())
            return l.Errorf("bad number syntax: " + GoQuote.Quote(l._input[l._start..l._pos]));
        int sign = l.Peek();
        if (sign is '+' or '-')
        {
            // Complex: 1+2i. No spaces, must end in 'i'.
            if (!l.ScanNumber() || l._input[l._pos - 1] != 'i')
                return l.Errorf("bad number syntax: " + GoQuote.Quote(l._input[l._start..l._pos]));
            return l.Emit(TokenKind.Complex);
        }
        return l.Emit(TokenKind.Number);
    }

    private bool ScanNumber()
    {
        Accept("+-");
        string digits = "0123456789_";
        if (Accept("0"))
        {
            if (Accept("xX")) digits = "0123456789abcdefABCDEF_";
            else if (Accept("oO")) digits = "01234567_";
            else if (Accept("bB")) digits = "01_";
        }
        AcceptRun(digits);
        if (Accept(".")) AcceptRun(digits);
        if (digits.Length == 10 + 1 && Accept("eE"))
        {
            Accept("+-");
            AcceptRun("0123456789_");
        }
        if (digits.Length == 16 + 6 + 1 && Accept("pP"))
        {
            Accept("+-");
            AcceptRun("0123456789_");
        }
        Accept("i");
        if (IsAlphaNumeric(Peek()))
        {
            Next();
            return false;
        }
        return true;
    }

    private static StateFn? LexQuote(Lexer l)
    {
        while (true)
        {
            int r = l.Next();
            if (r == '\\')
            {
                int n = l.Next();
                if (n != EofRune && n != '\n') continue;
                return l.Errorf("unterminated quoted string");
            }
            if (r is EofRune or '\n') return l.Errorf("unterminated quoted string");
            if (r == '"') break;
        }
        return l.Emit(TokenKind.String);
    }

    private static StateFn? LexRawQuote(Lexer l)
    {
        while (true)
        {
            int r = l.Next();
            if (r == EofRune) return l.Errorf("unterminated raw quoted string");
            if (r == '`') break;
        }
        return l.Emit(TokenKind.RawString);
    }

    /// <summary>Go's <c>%#U</c>: <c>U+0023 '#'</c>.</summary>
    private static string RuneDescription(int r)
    {
        if (r < 0) r = 0xFFFD;
        string hex = "U+" + r.ToString("X4", System.Globalization.CultureInfo.InvariantCulture);
        if (GoQuote.IsPrint(r)) return hex + " '" + char.ConvertFromUtf32(r) + "'";
        return hex;
    }
}
