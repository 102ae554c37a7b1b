namespace Berth.Engine.Streams;

/// <summary>
/// The key sequence that detaches from a container's terminal (ctrl-p ctrl-q by default), parsed as docker's
/// term.ToBytes: comma-separated keys, each a single character or "ctrl-X".
/// </summary>
public static class DetachKeys
{
    public const string Default = "ctrl-p,ctrl-q";

    /// <summary>The bytes of <see cref="Default"/>.</summary>
    public static byte[] DefaultSequence => [16, 17];

    /// <summary>The bytes of <paramref name="keys"/> (the default when empty); false when they are not keys docker knows.</summary>
    public static bool TryParse(string? keys, out byte[] sequence)
    {
        if (string.IsNullOrEmpty(keys))
            keys = Default;
        var result = new List<byte>();
        foreach (var key in keys.Split(','))
        {
            if (key.Length == 1 && key[0] < 128)
            {
                result.Add((byte)key[0]);
                continue;
            }
            if (key.StartsWith("ctrl-", StringComparison.OrdinalIgnoreCase) && key.Length == 6)
            {
                char c = char.ToLowerInvariant(key[5]);
                if (c is >= 'a' and <= 'z')
                {
                    result.Add((byte)(c - 'a' + 1));
                    continue;
                }
                int special = "@[\\]^_".IndexOf(c);
                if (special >= 0)
                {
                    result.Add((byte)(special == 0 ? 0 : 27 + special - 1));
                    continue;
                }
            }
            sequence = [];
            return false;
        }
        sequence = [.. result];
        return true;
    }

    /// <summary>Docker's words for keys <see cref="TryParse"/> refuses (the CLI's and dockerd's).</summary>
    public static string Invalid(string? keys) => $"Invalid detach keys ({keys}) provided";
}

/// <summary>
/// Watches the bytes typed into an attached terminal for the detach sequence (docker's escape proxy): bytes that
/// might begin the sequence are held back, released when the sequence breaks off, swallowed when it completes.
/// </summary>
public sealed class DetachKeyScanner(byte[] sequence)
{
    int _matched;

    /// <summary>The bytes of <paramref name="input"/> to pass on; detached is true when the sequence completed.</summary>
    public (byte[] Forward, bool Detached) Scan(ReadOnlySpan<byte> input)
    {
        if (sequence.Length == 0)
            return (input.ToArray(), false);
        var forward = new List<byte>(input.Length + _matched);
        foreach (byte b in input)
        {
            if (b == sequence[_matched])
            {
                _matched++;
                if (_matched == sequence.Length)
                    return ([.. forward], true);
                continue;
            }
            if (_matched > 0)
            {
                forward.AddRange(sequence.AsSpan(0, _matched).ToArray());
                _matched = 0;
                if (b == sequence[0])
                {
                    _matched = 1;
                    continue;
                }
            }
            forward.Add(b);
        }
        return ([.. forward], false);
    }
}
