using System.Buffers.Text;
using System.Text;

namespace Berth.Images.Layers;

/// <summary>
/// PAX extended header records, <c>"%d %s=%s\n"</c> where the length counts the whole record.
/// Values are bytes: SCHILY.xattr values are binary and path values need not be UTF-8.
/// </summary>
internal static class PaxRecords
{
    public const string XattrPrefix = "SCHILY.xattr.";

    /// <summary>Splits the next record off <paramref name="data"/>; false at the end, throws on a malformed one.</summary>
    public static bool TryNext(ref ReadOnlySpan<byte> data, out ReadOnlySpan<byte> key, out ReadOnlySpan<byte> value)
    {
        key = value = default;
        // GNU tar pads the last block with NULs; Go stops at the first one too.
        if (data.IsEmpty || data[0] == 0)
            return false;
        int space = data.IndexOf((byte)' ');
        if (space <= 0 || !Utf8Parser.TryParse(data[..space], out int length, out int used) || used != space
            || length <= space + 1 || length > data.Length || data[length - 1] != '\n')
            throw StoreException.Invalid("invalid PAX record in tar header");
        var record = data[(space + 1)..(length - 1)];
        data = data[length..];
        int eq = record.IndexOf((byte)'=');
        if (eq <= 0)
            throw StoreException.Invalid("invalid PAX record in tar header");
        key = record[..eq];
        value = record[(eq + 1)..];
        return true;
    }

    /// <summary>Appends one record to <paramref name="into"/> (Go's formatPAXRecord).</summary>
    public static void Append(List<byte> into, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        int bare = key.Length + value.Length + 3; // ' ', '=' and '\n'
        int size = bare + Digits(bare);
        // Counting the length's own digits may have made it one digit longer.
        if (bare + Digits(size) != size)
            size = bare + Digits(size);
        Span<byte> digits = stackalloc byte[12];
        size.TryFormat(digits, out int n, provider: System.Globalization.CultureInfo.InvariantCulture);
        into.AddRange(digits[..n]);
        into.Add((byte)' ');
        into.AddRange(key);
        into.Add((byte)'=');
        into.AddRange(value);
        into.Add((byte)'\n');
    }

    public static void Append(List<byte> into, string key, ReadOnlySpan<byte> value) => Append(into, Encoding.UTF8.GetBytes(key), value);

    static int Digits(int value) => value < 10 ? 1 : value < 100 ? 2 : value < 1000 ? 3 : value < 10000 ? 4 : value < 100000 ? 5 : value < 1000000 ? 6 : value < 10000000 ? 7 : 8;

    /// <summary>A decimal record value (size, uid, gid).</summary>
    public static long ParseInteger(ReadOnlySpan<byte> value, string key)
    {
        if (!Utf8Parser.TryParse(value, out long n, out int used) || used != value.Length || n < 0)
            throw StoreException.Invalid($"invalid PAX {key} record \"{Encoding.UTF8.GetString(value)}\"");
        return n;
    }

    /// <summary>A PAX time, seconds with an optional fraction of up to nanoseconds ("1700000000.123456789", "-1.5").</summary>
    public static (long Seconds, int Nanoseconds) ParseTime(ReadOnlySpan<byte> value, string key)
    {
        int dot = value.IndexOf((byte)'.');
        var whole = dot < 0 ? value : value[..dot];
        var fraction = dot < 0 ? default : value[(dot + 1)..];
        bool negative = whole.Length > 0 && whole[0] == '-';
        if (!Utf8Parser.TryParse(whole, out long seconds, out int used) || used != whole.Length)
            throw StoreException.Invalid($"invalid PAX {key} record \"{Encoding.UTF8.GetString(value)}\"");
        long nanos = 0;
        for (int i = 0; i < 9; i++)
        {
            int digit = 0;
            if (i < fraction.Length)
            {
                if (fraction[i] < '0' || fraction[i] > '9')
                    throw StoreException.Invalid($"invalid PAX {key} record \"{Encoding.UTF8.GetString(value)}\"");
                digit = fraction[i] - '0';
            }
            nanos = nanos * 10 + digit;
        }
        // "-1.5" is 1.5 s before the epoch: -2 s + 0.5 s.
        if (negative && nanos != 0)
        {
            seconds -= 1;
            nanos = 1_000_000_000 - nanos;
        }
        return (seconds, (int)nanos);
    }

    /// <summary>Go's formatPAXTime: seconds, then up to nine fraction digits with trailing zeros cut.</summary>
    public static byte[] FormatTime(long seconds, int nanoseconds)
    {
        if (nanoseconds == 0)
            return Encoding.ASCII.GetBytes(seconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        string sign = "";
        if (seconds < 0)
        {
            sign = "-";
            seconds = -(seconds + 1);
            nanoseconds = 1_000_000_000 - nanoseconds;
        }
        string text = $"{sign}{seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}.{nanoseconds:D9}".TrimEnd('0');
        return Encoding.ASCII.GetBytes(text);
    }
}
