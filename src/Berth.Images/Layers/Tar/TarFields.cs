namespace Berth.Images.Layers;

/// <summary>
/// The fixed fields of a 512-byte tar header and their encodings: NUL-terminated strings, octal
/// numbers padded with zeros, and GNU's base-256 for numbers that octal cannot hold. Formatting
/// follows Go's archive/tar (what Docker writes) byte for byte.
/// </summary>
internal static class TarFields
{
    public const int BlockSize = 512;

    // Offsets and lengths of the ustar header fields.
    public const int Name = 0, NameLength = 100;
    public const int Mode = 100, Uid = 108, Gid = 116, NumberLength = 8;
    public const int Size = 124, Mtime = 136, LongNumberLength = 12;
    public const int Checksum = 148;
    public const int TypeFlag = 156;
    public const int LinkName = 157;
    public const int Magic = 257, Version = 263;
    public const int Uname = 265, Gname = 297, OwnerNameLength = 32;
    public const int DevMajor = 329, DevMinor = 337;
    public const int Prefix = 345, PrefixLength = 155, StarPrefixLength = 131;

    // GNU's use of the prefix area.
    public const int GnuAtime = 345, GnuCtime = 357, GnuSparse = 386, GnuIsExtended = 482, GnuRealSize = 483;

    public static ReadOnlySpan<byte> UstarMagic => "ustar\0"u8;

    public static ReadOnlySpan<byte> UstarVersion => "00"u8;

    public static ReadOnlySpan<byte> GnuMagic => "ustar "u8;

    public static ReadOnlySpan<byte> GnuVersion => " \0"u8;

    /// <summary>The bytes up to the first NUL.</summary>
    public static ReadOnlySpan<byte> String(ReadOnlySpan<byte> field)
    {
        int nul = field.IndexOf((byte)0);
        return nul < 0 ? field : field[..nul];
    }

    /// <summary>
    /// A numeric field: base-256 when its high bit is set (GNU), else octal with leading and trailing
    /// spaces and NULs ignored. False for garbage.
    /// </summary>
    public static bool TryParseNumber(ReadOnlySpan<byte> field, out long value)
    {
        value = 0;
        if (field.IsEmpty)
            return true;
        if ((field[0] & 0x80) != 0)
        {
            // Two's complement, big-endian, with the marker bit masked off; 0xff marks a negative number.
            bool negative = (field[0] & 0x40) != 0;
            byte inv = negative ? (byte)0xff : (byte)0;
            ulong x = 0;
            for (int i = 0; i < field.Length; i++)
            {
                byte c = (byte)(field[i] ^ inv);
                if (i == 0)
                    c &= 0x7f;
                if ((x >> 56) != 0)
                    return false;
                x = (x << 8) | c;
            }
            if ((x >> 63) != 0)
                return false;
            value = negative ? ~(long)x : (long)x;
            return true;
        }
        field = field.Trim(" \0"u8);
        int nul = field.IndexOf((byte)0);
        if (nul >= 0)
            field = field[..nul];
        foreach (byte c in field)
        {
            if (c < '0' || c > '7' || (value >> 60) != 0)
                return false;
            value = (value << 3) | (long)(c - '0');
        }
        return true;
    }

    /// <summary>Whether <paramref name="value"/> fits an octal field of <paramref name="length"/> bytes with its NUL.</summary>
    public static bool FitsOctal(int length, long value) => value >= 0 && (length >= 22 || value < 1L << ((length - 1) * 3));

    /// <summary>Go's formatOctal: zero-padded octal leaving room for a NUL; 0 when it does not fit (the PAX record carries it).</summary>
    public static void FormatOctal(Span<byte> field, long value)
    {
        if (!FitsOctal(field.Length, value))
            value = 0;
        Span<byte> digits = stackalloc byte[24];
        int n = 0;
        do
        {
            digits[n++] = (byte)('0' + (value & 7));
            value >>= 3;
        }
        while (value != 0);
        int width = Math.Max(n, field.Length - 1);
        Span<byte> text = stackalloc byte[width];
        text.Fill((byte)'0');
        for (int i = 0; i < n; i++)
            text[width - 1 - i] = digits[i];
        FormatString(field, text);
    }

    /// <summary>GNU base-256 for a number that octal cannot hold (device numbers past 2^21).</summary>
    public static void FormatNumber(Span<byte> field, long value)
    {
        if (FitsOctal(field.Length, value))
        {
            FormatOctal(field, value);
            return;
        }
        for (int i = field.Length - 1; i >= 0; i--)
        {
            field[i] = (byte)value;
            value >>= 8;
        }
        field[0] |= 0x80;
    }

    /// <summary>Go's formatString: copies, NUL-terminates when there is room, cuts when there is not.</summary>
    public static void FormatString(Span<byte> field, ReadOnlySpan<byte> value)
    {
        int n = Math.Min(field.Length, value.Length);
        value[..n].CopyTo(field);
        if (value.Length < field.Length)
            field[value.Length] = 0;
        // A cut name must not end in '/', or readers take a regular file for a directory.
        if (value.Length > field.Length && field[^1] == '/')
        {
            int end = field.Length - 1;
            while (end > 0 && field[end - 1] == '/')
                end--;
            field[end] = 0;
        }
    }

    /// <summary>Sum of the header bytes with the checksum field read as spaces (unsigned, and signed as old tars wrote it).</summary>
    public static (long Unsigned, long Signed) ComputeChecksum(ReadOnlySpan<byte> block)
    {
        long unsigned = 0, signed = 0;
        for (int i = 0; i < BlockSize; i++)
        {
            byte c = i >= Checksum && i < Checksum + 8 ? (byte)' ' : block[i];
            unsigned += c;
            signed += (sbyte)c;
        }
        return (unsigned, signed);
    }

    /// <summary>Writes the checksum as Go does: six octal digits, NUL, space.</summary>
    public static void SetChecksum(Span<byte> block)
    {
        var (sum, _) = ComputeChecksum(block);
        var field = block.Slice(Checksum, 8);
        FormatOctal(field[..7], sum);
        field[7] = (byte)' ';
    }

    public static bool IsAscii(ReadOnlySpan<byte> value) => System.Text.Ascii.IsValid(value);
}
