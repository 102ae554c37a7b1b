using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Berth.Cli.Templates;

/// <summary>
/// Go's fmt package over the template value model: <c>Sprint</c>, <c>Sprintln</c>,
/// <c>Sprintf</c> and the <c>%v</c> text of a value, with Go's verbs, flags, width and
/// precision and its error notations (<c>%!d(string=x)</c>, <c>%!s(MISSING)</c>).
/// </summary>
internal sealed class GoFmt
{
    private readonly StringBuilder _buf = new();

    // Flags of the verb being formatted (Go's fmt.fmtFlags plus width and precision).
    private bool _plus, _minus, _sharp, _space, _zero, _plusV, _sharpV;
    private bool _widPresent, _precPresent;
    private int _wid, _prec;

    private void ClearFlags()
    {
        _plus = _minus = _sharp = _space = _zero = _plusV = _sharpV = false;
        _widPresent = _precPresent = false;
        _wid = _prec = 0;
    }

    /// <summary>The text <c>{{.}}</c> prints for a value: fmt's <c>%v</c>.</summary>
    public static string FormatValue(object? value)
    {
        var p = new GoFmt();
        p.PrintArg(value, 'v');
        return p._buf.ToString();
    }

    public static string Sprint(IReadOnlyList<object?> args)
    {
        var p = new GoFmt();
        bool prevString = false;
        for (int i = 0; i < args.Count; i++)
        {
            bool isString = args[i] is string;
            if (i > 0 && !isString && !prevString) p._buf.Append(' ');
            p.PrintArg(args[i], 'v');
            prevString = isString;
        }
        return p._buf.ToString();
    }

    public static string Sprintln(IReadOnlyList<object?> args)
    {
        var p = new GoFmt();
        for (int i = 0; i < args.Count; i++)
        {
            if (i > 0) p._buf.Append(' ');
            p.PrintArg(args[i], 'v');
        }
        p._buf.Append('\n');
        return p._buf.ToString();
    }

    public static string Sprintf(string format, IReadOnlyList<object?> args)
    {
        var p = new GoFmt();
        p.DoPrintf(format, args);
        return p._buf.ToString();
    }

    private void DoPrintf(string format, IReadOnlyList<object?> a)
    {
        int end = format.Length;
        int argNum = 0;
        bool afterIndex = false;
        bool reordered = false;
        int i = 0;
        while (i < end)
        {
            bool goodArgNum = true;
            int lasti = i;
            while (i < end && format[i] != '%') i++;
            if (i > lasti) _buf.Append(format, lasti, i - lasti);
            if (i >= end) break;
            i++; // skip %
            ClearFlags();

            // Flags.
            for (; i < end; i++)
            {
                char c = format[i];
                if (c == '#') _sharp = true;
                else if (c == '0') _zero = !_minus;
                else if (c == '+') _plus = true;
                else if (c == '-') { _minus = true; _zero = false; }
                else if (c == ' ') _space = true;
                else
                {
                    // Fast path for a simple verb such as %d or %s.
                    if (c is >= 'a' and <= 'z' && argNum < a.Count)
                    {
                        if (c == 'v')
                        {
                            _sharpV = _sharp; _sharp = false;
                            _plusV = _plus; _plus = false;
                        }
                        PrintArg(a[argNum], c);
                        argNum++;
                        i++;
                        goto nextVerb;
                    }
                    break;
                }
            }

            // Argument index and width.
            (argNum, i, afterIndex) = ArgNumber(argNum, format, i, a.Count, ref goodArgNum, ref reordered);
            if (i < end && format[i] == '*')
            {
                i++;
                (_wid, _widPresent, argNum) = IntFromArg(a, argNum);
                if (!_widPresent) _buf.Append("%!(BADWIDTH)");
                if (_wid < 0)
                {
                    _wid = -_wid;
                    _minus = true;
                    _zero = false;
                }
                afterIndex = false;
            }
            else
            {
                (_wid, _widPresent, i) = ParseNum(format, i, end);
                if (afterIndex && _widPresent) goodArgNum = false;
            }

            // Precision.
            if (i + 1 <= end && i < end && format[i] == '.')
            {
                i++;
                if (afterIndex) goodArgNum = false;
                (argNum, i, afterIndex) = ArgNumber(argNum, format, i, a.Count, ref goodArgNum, ref reordered);
                if (i < end && format[i] == '*')
                {
                    i++;
                    (_prec, _precPresent, argNum) = IntFromArg(a, argNum);
                    if (_prec < 0)
                    {
                        _prec = 0;
                        _precPresent = false;
                    }
                    if (!_precPresent) _buf.Append("%!(BADPREC)");
                    afterIndex = false;
                }
                else
                {
                    (_prec, _precPresent, i) = ParseNum(format, i, end);
                    if (!_precPresent)
                    {
                        _prec = 0;
                        _precPresent = true;
                    }
                }
            }

            if (!afterIndex)
                (argNum, i, afterIndex) = ArgNumber(argNum, format, i, a.Count, ref goodArgNum, ref reordered);

            if (i >= end)
            {
                _buf.Append("%!(NOVERB)");
                break;
            }

            var rune = Rune.GetRuneAt(format, i);
            char verb = rune.IsBmp ? (char)rune.Value : '\uFFFD';
            i += rune.Utf16SequenceLength;

            if (verb == '%')
                _buf.Append('%');
            else if (!goodArgNum)
                BadArgNum(verb, "BADINDEX");
            else if (argNum >= a.Count)
                BadArgNum(verb, "MISSING");
            else
            {
                if (verb == 'v')
                {
                    _sharpV = _sharp; _sharp = false;
                    _plusV = _plus; _plus = false;
                }
                PrintArg(a[argNum], verb);
                argNum++;
            }
            nextVerb:;
        }

        if (!reordered && argNum < a.Count)
        {
            ClearFlags();
            _buf.Append("%!(EXTRA ");
            for (int k = argNum; k < a.Count; k++)
            {
                if (k > argNum) _buf.Append(", ");
                if (a[k] is null) _buf.Append("<nil>");
                else
                {
                    _buf.Append(GoValues.TypeOf(a[k])).Append('=');
                    PrintArg(a[k], 'v');
                }
            }
            _buf.Append(')');
        }
    }

    private void BadArgNum(char verb, string what) =>
        _buf.Append("%!").Append(verb).Append('(').Append(what).Append(')');

    private static (int num, bool ok, int next) ParseNum(string s, int start, int end)
    {
        if (start >= end) return (0, false, start);
        int num = 0;
        int i = start;
        bool ok = false;
        while (i < end && s[i] is >= '0' and <= '9')
        {
            if (num > 1_000_000) return (0, false, end); // absurdly large width, as Go
            num = num * 10 + (s[i] - '0');
            ok = true;
            i++;
        }
        return (num, ok, i);
    }

    private static (int argNum, int i, bool found) ArgNumber(int argNum, string format, int i, int numArgs,
        ref bool goodArgNum, ref bool reordered)
    {
        if (format.Length <= i || format[i] != '[') return (argNum, i, false);
        reordered = true;
        // Go's parseArgNumber: "[n]" with n >= 1.
        for (int j = i + 1; j < format.Length; j++)
        {
            if (format[j] == ']')
            {
                var (width, ok, newi) = ParseNum(format, i + 1, j);
                if (!ok || newi != j)
                {
                    goodArgNum = false;
                    return (argNum, j + 1, true);
                }
                int index = width - 1;
                if (index >= 0 && index < numArgs) return (index, j + 1, true);
                goodArgNum = false;
                return (argNum, j + 1, true);
            }
        }
        goodArgNum = false;
        return (argNum, i + 1, false);
    }

    private static (int value, bool ok, int newArgNum) IntFromArg(IReadOnlyList<object?> a, int argNum)
    {
        if (argNum >= a.Count) return (0, false, argNum);
        object? arg = a[argNum];
        argNum++;
        return arg switch
        {
            long l when l is >= -1_000_000 and <= 1_000_000 => ((int)l, true, argNum),
            ulong u when u <= 1_000_000 => ((int)u, true, argNum),
            byte b => (b, true, argNum),
            _ => (0, false, argNum),
        };
    }

    // ---- printing one argument ----

    private void PrintArg(object? arg, char verb, int depth = 0)
    {
        if (arg is null)
        {
            if (depth > 0)
            {
                // A nil element of an interface slice or map: Go writes <nil> whatever the verb.
                _buf.Append("<nil>");
                return;
            }
            if (verb is 'T' or 'v') Pad("<nil>");
            else BadVerb(verb, null);
            return;
        }
        if (verb == 'T')
        {
            FmtS(GoValues.TypeOf(arg));
            return;
        }
        switch (arg)
        {
            case bool b:
                if (verb is 't' or 'v') Pad(b ? "true" : "false");
                else BadVerb(verb, arg);
                break;
            case long l:
                FmtInteger(unchecked((ulong)l), true, verb, arg);
                break;
            case ulong u:
                FmtInteger(u, false, verb, arg);
                break;
            case byte by:
                FmtInteger(by, false, verb, arg);
                break;
            case double d:
                FmtFloat(d, verb, arg);
                break;
            case string s:
                FmtString(s, verb, arg);
                break;
            case JsonObject map:
                _buf.Append("map[");
                bool first = true;
                foreach (var kv in GoValues.SortedEntries(map))
                {
                    if (!first) _buf.Append(' ');
                    first = false;
                    PrintArg(kv.Key, verb, depth + 1);
                    _buf.Append(':');
                    PrintArg(GoValues.FromJson(kv.Value), verb, depth + 1);
                }
                _buf.Append(']');
                break;
            case TemplateObject obj:
                _buf.Append('{');
                bool firstField = true;
                foreach (var kv in obj.Fields)
                {
                    if (!firstField) _buf.Append(' ');
                    firstField = false;
                    if (_plusV) _buf.Append(kv.Key).Append(':');
                    PrintArg(GoValues.FromJson(kv.Value), verb, depth + 1);
                }
                _buf.Append('}');
                break;
            case TemplateFunction:
                // Go prints a func's address; there is none to show.
                if (verb is 'v' or 'p') Pad("0x0");
                else BadVerb(verb, arg);
                break;
            default:
                if (GoValues.IsList(arg))
                {
                    _buf.Append('[');
                    int n = GoValues.ListCount(arg);
                    for (int i = 0; i < n; i++)
                    {
                        if (i > 0) _buf.Append(' ');
                        PrintArg(GoValues.ListElement(arg, i).Raw, verb, depth + 1);
                    }
                    _buf.Append(']');
                }
                else
                {
                    Pad(arg.ToString() ?? "");
                }
                break;
        }
    }

    private void BadVerb(char verb, object? arg)
    {
        _buf.Append("%!").Append(verb).Append('(');
        if (arg is null)
        {
            _buf.Append("<nil>");
        }
        else
        {
            _buf.Append(GoValues.TypeOf(arg)).Append('=');
            // Go prints the value with %v under the bad verb's flags and width.
            PrintArg(arg, 'v');
        }
        _buf.Append(')');
    }

    // ---- padding ----

    private void WritePadding(int n)
    {
        if (n <= 0) return;
        _buf.Append(_zero && !_minus ? '0' : ' ', n);
    }

    private void Pad(string s)
    {
        if (!_widPresent || _wid == 0)
        {
            _buf.Append(s);
            return;
        }
        int width = _wid - CountRunes(s);
        if (!_minus)
        {
            WritePadding(width);
            _buf.Append(s);
        }
        else
        {
            _buf.Append(s);
            // Padding to the right is always with spaces.
            if (width > 0) _buf.Append(' ', width);
        }
    }

    private static int CountRunes(string s)
    {
        int n = 0;
        foreach (var _ in s.EnumerateRunes()) n++;
        return n;
    }

    // ---- strings ----

    private void FmtString(string s, char verb, object arg)
    {
        switch (verb)
        {
            case 'v':
                if (_sharpV) FmtQ(s);
                else FmtS(s);
                break;
            case 's':
                FmtS(s);
                break;
            case 'x':
                FmtSx(s, "0123456789abcdefx");
                break;
            case 'X':
                FmtSx(s, "0123456789ABCDEFX");
                break;
            case 'q':
                FmtQ(s);
                break;
            default:
                BadVerb(verb, arg);
                break;
        }
    }

    private string Truncate(string s)
    {
        if (!_precPresent) return s;
        int n = _prec;
        int i = 0;
        foreach (var r in s.EnumerateRunes())
        {
            n--;
            if (n < 0) return s[..i];
            i += r.Utf16SequenceLength;
        }
        return s;
    }

    private void FmtS(string s) => Pad(Truncate(s));

    private void FmtSx(string s, string digits)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(s);
        int length = bytes.Length;
        if (_precPresent && _prec < length) length = _prec;
        int width = 2 * length;
        if (width == 0)
        {
            if (_widPresent) WritePadding(_wid);
            return;
        }
        if (_space)
        {
            if (_sharp) width *= 2;
            width += length - 1;
        }
        else if (_sharp)
        {
            width += 2;
        }
        if (_widPresent && _wid > width && !_minus) WritePadding(_wid - width);
        if (_sharp) _buf.Append('0').Append(digits[16]);
        for (int i = 0; i < length; i++)
        {
            if (_space && i > 0)
            {
                _buf.Append(' ');
                if (_sharp) _buf.Append('0').Append(digits[16]);
            }
            _buf.Append(digits[bytes[i] >> 4]).Append(digits[bytes[i] & 0xF]);
        }
        if (_widPresent && _wid > width && _minus) WritePadding(_wid - width);
    }

    private void FmtQ(string s)
    {
        s = Truncate(s);
        if (_sharp && GoQuote.CanBackquote(s))
            Pad("`" + s + "`");
        else
            Pad(GoQuote.Quote(s, _plus));
    }

    // ---- integers ----

    private void FmtInteger(ulong u, bool isSigned, char verb, object arg)
    {
        switch (verb)
        {
            case 'v':
            case 'd':
                FmtInt(u, 10, isSigned, verb, "0123456789abcdefx");
                break;
            case 'b':
                FmtInt(u, 2, isSigned, verb, "0123456789abcdefx");
                break;
            case 'o':
            case 'O':
                FmtInt(u, 8, isSigned, verb, "0123456789abcdefx");
                break;
            case 'x':
                FmtInt(u, 16, isSigned, verb, "0123456789abcdefx");
                break;
            case 'X':
                FmtInt(u, 16, isSigned, verb, "0123456789ABCDEFX");
                break;
            case 'c':
                Pad(RuneText(u));
                break;
            case 'q':
                Pad(GoQuote.QuoteRune(u > 0x10FFFF ? 0xFFFD : (int)u, _plus));
                break;
            case 'U':
                FmtUnicode(u);
                break;
            default:
                BadVerb(verb, arg);
                break;
        }
    }

    private static string RuneText(ulong u)
    {
        if (u > 0x10FFFF || (u >= 0xD800 && u <= 0xDFFF)) return "\uFFFD";
        return char.ConvertFromUtf32((int)u);
    }

    private void FmtUnicode(ulong u)
    {
        string hex = u.ToString("X", CultureInfo.InvariantCulture);
        int prec = _precPresent && _prec > 4 ? _prec : 4;
        string text = "U+" + hex.PadLeft(prec, '0');
        if (_sharp && u <= 0x10FFFF && GoQuote.IsPrint((int)u))
            text += " '" + char.ConvertFromUtf32((int)u) + "'";
        bool zero = _zero;
        _zero = false;
        Pad(text);
        _zero = zero;
    }

    private void FmtInt(ulong u, int @base, bool isSigned, char verb, string digits)
    {
        bool negative = isSigned && (long)u < 0;
        if (negative) u = unchecked(0 - u);

        int prec = 0;
        if (_precPresent)
        {
            prec = _prec;
            if (prec == 0 && u == 0)
            {
                bool oldZero = _zero;
                _zero = false;
                WritePadding(_wid);
                _zero = oldZero;
                return;
            }
        }
        else if (_zero && !_minus && _widPresent)
        {
            prec = _wid;
            if (negative || _plus || _space) prec--; // leave room for the sign
        }

        var chars = new List<char>(24);
        if (u == 0) chars.Add('0');
        while (u > 0)
        {
            chars.Add(digits[(int)(u % (ulong)@base)]);
            u /= (ulong)@base;
        }
        while (chars.Count < prec) chars.Add('0');
        if (_sharp)
        {
            switch (@base)
            {
                case 2:
                    chars.Add('b');
                    chars.Add('0');
                    break;
                case 8:
                    if (chars[^1] != '0') chars.Add('0');
                    break;
                case 16:
                    chars.Add(digits[16]);
                    chars.Add('0');
                    break;
            }
        }
        if (verb == 'O')
        {
            chars.Add('o');
            chars.Add('0');
        }
        if (negative) chars.Add('-');
        else if (_plus) chars.Add('+');
        else if (_space) chars.Add(' ');
        chars.Reverse();

        bool zero = _zero;
        _zero = false;
        Pad(new string(chars.ToArray()));
        _zero = zero;
    }

    // ---- floats ----

    private void FmtFloat(double v, char verb, object arg)
    {
        switch (verb)
        {
            case 'v':
                FmtFloatText(v, 'g', -1);
                break;
            case 'b':
            case 'x':
            case 'X':
                // Go's binary and hex float forms are not used by docker formats.
                BadVerb(verb, arg);
                break;
            case 'g':
            case 'G':
                FmtFloatText(v, verb, -1);
                break;
            case 'f':
            case 'F':
            case 'e':
            case 'E':
                FmtFloatText(v, verb == 'F' ? 'f' : verb, 6);
                break;
            default:
                BadVerb(verb, arg);
                break;
        }
    }

    private void FmtFloatText(double v, char verb, int prec)
    {
        if (_precPresent) prec = _prec;
        string num = GoFloat.Format(v, verb, prec);
        // Go formats with a sign slot: "+" for positive numbers, dropped below unless asked for.
        if (num[0] is not ('-' or '+')) num = "+" + num;
        if (_space && num[0] == '+' && !_plus) num = " " + num[1..];

        if (num[1] is 'I' or 'N')
        {
            bool oldZero = _zero;
            _zero = false;
            if (num[1] == 'N' && !_space && !_plus) num = num[1..];
            Pad(num);
            _zero = oldZero;
            return;
        }

        if (_plus || num[0] != '+')
        {
            if (_zero && !_minus && _widPresent && _wid > num.Length)
            {
                _buf.Append(num[0]);
                WritePadding(_wid - num.Length);
                _buf.Append(num, 1, num.Length - 1);
                return;
            }
            Pad(num);
            return;
        }
        Pad(num[1..]);
    }
}
