using System.Buffers;
using System.Text;

namespace Berth.Http;

/// <summary>Percent-decoding of request targets as Go's net/url does it: invalid escapes are errors, the result UTF-8.</summary>
internal static class UrlDecoding
{
    /// <summary>A path: <c>%XX</c> decoded, <c>+</c> kept.</summary>
    public static bool TryDecodePath(ReadOnlySpan<byte> raw, out string path) => TryDecode(raw, plusIsSpace: false, out path);

    /// <summary>A query key or value: <c>%XX</c> decoded and <c>+</c> read as a space.</summary>
    public static bool TryDecodeQueryComponent(ReadOnlySpan<byte> raw, out string value) => TryDecode(raw, plusIsSpace: true, out value);

    static bool TryDecode(ReadOnlySpan<byte> raw, bool plusIsSpace, out string value)
    {
        int first = plusIsSpace ? raw.IndexOfAny((byte)'%', (byte)'+') : raw.IndexOf((byte)'%');
        if (first < 0)
        {
            value = Encoding.UTF8.GetString(raw);
            return true;
        }
        byte[]? rented = null;
        Span<byte> decoded = raw.Length <= 512 ? stackalloc byte[raw.Length] : (rented = ArrayPool<byte>.Shared.Rent(raw.Length));
        try
        {
            raw[..first].CopyTo(decoded);
            int o = first;
            for (int i = first; i < raw.Length; i++)
            {
                byte b = raw[i];
                if (b == '%')
                {
                    if (i + 2 >= raw.Length || !TryHex(raw[i + 1], out int high) || !TryHex(raw[i + 2], out int low))
                    {
                        value = "";
                        return false;
                    }
                    decoded[o++] = (byte)((high << 4) | low);
                    i += 2;
                }
                else
                {
                    decoded[o++] = plusIsSpace && b == '+' ? (byte)' ' : b;
                }
            }
            value = Encoding.UTF8.GetString(decoded[..o]);
            return true;
        }
        finally
        {
            if (rented is not null)
                ArrayPool<byte>.Shared.Return(rented);
        }
    }

    static bool TryHex(byte c, out int value)
    {
        value = c switch
        {
            >= (byte)'0' and <= (byte)'9' => c - '0',
            >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
            >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
            _ => -1,
        };
        return value >= 0;
    }
}
