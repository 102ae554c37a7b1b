using System.Globalization;
using System.Numerics;
using System.Text;

namespace Berth.Cli.Templates;

/// <summary>
/// Go's strconv.FormatFloat for float64: the 'e', 'E', 'f', 'g', 'G' formats, shortest (-1) or
/// with a precision, rounding half to even on the exact binary value as Go does.
/// </summary>
internal static class GoFloat
{
    /// <summary>Decimal digits d[0..] with the decimal point after <see cref="Dp"/> digits.</summary>
    private readonly record struct Digits(string D, int Dp)
    {
        public int Nd => D.Length;
    }

    public static string Format(double v, char fmt, int prec)
    {
        if (double.IsNaN(v)) return "NaN";
        if (double.IsPositiveInfinity(v)) return "+Inf";
        if (double.IsNegativeInfinity(v)) return "-Inf";
        bool neg = double.IsNegative(v);
        double abs = Math.Abs(v);
        bool shortest = prec < 0;
        Digits digs;
        if (shortest)
        {
            digs = ShortestDigits(abs);
            prec = fmt switch
            {
                'e' or 'E' => digs.Nd - 1,
                'f' => Math.Max(digs.Nd - digs.Dp, 0),
                _ => digs.Nd,
            };
        }
        else
        {
            var exact = ExactDigits(abs);
            digs = fmt switch
            {
                'e' or 'E' => Round(exact, prec + 1),
                'f' => Round(exact, exact.Dp + prec),
                _ => Round(exact, prec == 0 ? 1 : prec),
            };
            if (fmt is 'g' or 'G' && prec == 0) prec = 1;
        }

        var sb = new StringBuilder();
        if (neg) sb.Append('-');
        switch (fmt)
        {
            case 'e':
            case 'E':
                FormatE(sb, digs, prec, fmt);
                break;
            case 'f':
                FormatF(sb, digs, prec);
                break;
            default:
                int eprec = prec;
                if (eprec > digs.Nd && digs.Nd >= digs.Dp) eprec = digs.Nd;
                // Go decides %e versus %f for the shortest form as if the precision were 6.
                if (shortest) eprec = 6;
                int exp = digs.Dp - 1;
                if (exp < -4 || exp >= eprec)
                {
                    if (prec > digs.Nd) prec = digs.Nd;
                    FormatE(sb, digs, prec - 1, fmt == 'G' ? 'E' : 'e');
                }
                else
                {
                    if (prec > digs.Dp) prec = digs.Nd;
                    FormatF(sb, digs, Math.Max(prec - digs.Dp, 0));
                }
                break;
        }
        return sb.ToString();
    }

    /// <summary>encoding/json's float64 text: %f unless tiny or huge, exponent without padding.</summary>
    public static string FormatJson(double v)
    {
        double abs = Math.Abs(v);
        char fmt = abs != 0 && (abs < 1e-6 || abs >= 1e21) ? 'e' : 'f';
        string s = Format(v, fmt, -1);
        if (fmt == 'e')
        {
            int n = s.Length;
            if (n >= 4 && s[n - 4] == 'e' && s[n - 3] == '-' && s[n - 2] == '0')
                s = s[..(n - 2)] + s[n - 1];
        }
        return s;
    }

    private static void FormatE(StringBuilder sb, Digits d, int prec, char e)
    {
        sb.Append(d.Nd == 0 ? '0' : d.D[0]);
        if (prec > 0)
        {
            sb.Append('.');
            int i = 1;
            int m = Math.Min(d.Nd, prec + 1);
            if (i < m)
            {
                sb.Append(d.D, i, m - i);
                i = m;
            }
            for (; i <= prec; i++) sb.Append('0');
        }
        sb.Append(e);
        int exp = d.Nd == 0 ? 0 : d.Dp - 1;
        sb.Append(exp < 0 ? '-' : '+');
        exp = Math.Abs(exp);
        sb.Append(exp < 10 ? "0" + exp.ToString(CultureInfo.InvariantCulture) : exp.ToString(CultureInfo.InvariantCulture));
    }

    private static void FormatF(StringBuilder sb, Digits d, int prec)
    {
        if (d.Dp > 0)
        {
            int m = Math.Min(d.Nd, d.Dp);
            sb.Append(d.D, 0, m);
            for (; m < d.Dp; m++) sb.Append('0');
        }
        else
        {
            sb.Append('0');
        }
        if (prec > 0)
        {
            sb.Append('.');
            for (int i = 1; i <= prec; i++)
            {
                int j = d.Dp + i - 1;
                sb.Append(j >= 0 && j < d.Nd ? d.D[j] : '0');
            }
        }
    }

    /// <summary>The shortest digits that read back as the same double (.NET's "R" is exactly that).</summary>
    private static Digits ShortestDigits(double abs)
    {
        if (abs == 0) return new Digits("", 0);
        string r = abs.ToString("R", CultureInfo.InvariantCulture);
        int exp = 0;
        int ePos = r.IndexOfAny(['E', 'e']);
        if (ePos >= 0)
        {
            exp = int.Parse(r.AsSpan(ePos + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            r = r[..ePos];
        }
        int dot = r.IndexOf('.');
        string intPart = dot >= 0 ? r[..dot] : r;
        string frac = dot >= 0 ? r[(dot + 1)..] : "";
        string all = intPart + frac;
        int dp = intPart.Length + exp;
        int lead = 0;
        while (lead < all.Length - 1 && all[lead] == '0') lead++;
        all = all[lead..];
        dp -= lead;
        all = all.TrimEnd('0');
        return new Digits(all, dp);
    }

    /// <summary>Every digit of the exact binary value.</summary>
    private static Digits ExactDigits(double abs)
    {
        if (abs == 0) return new Digits("", 0);
        long bits = BitConverter.DoubleToInt64Bits(abs);
        int exponent = (int)((bits >> 52) & 0x7FF);
        long mantissa = bits & 0xFFFFFFFFFFFFFL;
        if (exponent == 0) exponent = 1;
        else mantissa |= 1L << 52;
        exponent -= 1075;
        string digits;
        int dp;
        if (exponent >= 0)
        {
            digits = (new BigInteger(mantissa) << exponent).ToString(CultureInfo.InvariantCulture);
            dp = digits.Length;
        }
        else
        {
            digits = (new BigInteger(mantissa) * BigInteger.Pow(5, -exponent)).ToString(CultureInfo.InvariantCulture);
            dp = digits.Length + exponent;
        }
        string trimmed = digits.TrimEnd('0');
        return new Digits(trimmed, dp);
    }

    /// <summary>Rounds to <paramref name="nd"/> digits, half to even, as Go's decimal.Round.</summary>
    private static Digits Round(Digits d, int nd)
    {
        if (nd < 0 || nd >= d.Nd) return d;
        bool up;
        if (d.D[nd] > '5') up = true;
        else if (d.D[nd] < '5') up = false;
        else if (nd + 1 < d.Nd) up = true; // more non-zero digits follow (trailing zeros are trimmed)
        else up = nd > 0 && (d.D[nd - 1] - '0') % 2 == 1;
        if (!up)
        {
            string kept = d.D[..nd].TrimEnd('0');
            return new Digits(kept, kept.Length == 0 ? 0 : d.Dp);
        }
        var chars = d.D[..nd].ToCharArray();
        int i = nd - 1;
        while (i >= 0 && chars[i] == '9') i--;
        if (i < 0)
            return new Digits("1", d.Dp + 1);
        chars[i]++;
        return new Digits(new string(chars, 0, i + 1), d.Dp);
    }
}
