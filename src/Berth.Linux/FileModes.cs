namespace Berth.Linux;

/// <summary>Permission bits written as in C and Go (C# has no octal literals).</summary>
public static class FileModes
{
    /// <summary><c>Octal(755)</c> is 0755: each decimal digit read as an octal one.</summary>
    public static uint Octal(int digits)
    {
        uint value = 0, scale = 1;
        for (; digits > 0; digits /= 10, scale *= 8)
        {
            int digit = digits % 10;
            if (digit > 7)
                throw new ArgumentOutOfRangeException(nameof(digits), "not an octal number");
            value += (uint)digit * scale;
        }
        return value;
    }

    public const uint Directory = 0x1ED;   // 0755
    public const uint File = 0x1A4;        // 0644
    public const uint Device = 0x1B6;      // 0666
}
