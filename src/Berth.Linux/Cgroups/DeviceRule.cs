using System.Globalization;
using System.Text;

namespace Berth.Linux.Cgroups;

/// <summary>Device types of the device controller; <see cref="All"/> matches both.</summary>
public enum DeviceType
{
    All = 'a',
    Char = 'c',
    Block = 'b',
}

/// <summary>Device accesses: read, write, mknod (the kernel's "rwm").</summary>
[Flags]
public enum DeviceAccess
{
    None = 0,
    Read = 1,
    Write = 2,
    Mknod = 4,
    All = Read | Write | Mknod,
}

/// <summary>
/// One rule of the device controller, as devices.allow/devices.deny take it (<c>c 1:5 rwm</c>).
/// Major and minor are <see cref="Any"/> for the wildcard <c>*</c>.
/// </summary>
public readonly record struct DeviceRule(DeviceType Type, long Major, long Minor, DeviceAccess Access, bool Allow)
{
    public const long Any = -1;

    /// <summary>Type "a": every device, whatever the numbers say (the kernel's meaning in v1).</summary>
    public bool IsAllDevices => Type == DeviceType.All;

    /// <summary>The rule as devices.allow/devices.deny and devices.list spell it.</summary>
    public string CgroupString
        => $"{(char)Type} {Number(Major)}:{Number(Minor)} {AccessString(Access)}";

    public override string ToString() => (Allow ? "allow " : "deny ") + CgroupString;

    public static string AccessString(DeviceAccess access)
    {
        var sb = new StringBuilder(3);
        if ((access & DeviceAccess.Read) != 0)
            sb.Append('r');
        if ((access & DeviceAccess.Write) != 0)
            sb.Append('w');
        if ((access & DeviceAccess.Mknod) != 0)
            sb.Append('m');
        return sb.ToString();
    }

    /// <summary>Parses "rwm" and its subsets; false for any other letter.</summary>
    public static bool TryParseAccess(string text, out DeviceAccess access)
    {
        access = DeviceAccess.None;
        foreach (char c in text)
        {
            switch (c)
            {
                case 'r': access |= DeviceAccess.Read; break;
                case 'w': access |= DeviceAccess.Write; break;
                case 'm': access |= DeviceAccess.Mknod; break;
                default: return false;
            }
        }
        return true;
    }

    /// <summary>Parses a devices.list line (<c>c 1:5 rwm</c>, <c>a *:* rwm</c>) as an allow rule.</summary>
    public static DeviceRule ParseListLine(string line)
    {
        var parts = line.Trim().Split(' ');
        if (parts.Length != 3 || parts[0].Length != 1 || parts[0][0] is not ('a' or 'b' or 'c'))
            throw new FormatException($"devices.list: bad line \"{line}\"");
        var numbers = parts[1].Split(':');
        if (numbers.Length != 2 || !TryParseAccess(parts[2], out var access))
            throw new FormatException($"devices.list: bad line \"{line}\"");
        return new DeviceRule((DeviceType)parts[0][0], ParseNumber(numbers[0], line), ParseNumber(numbers[1], line), access, Allow: true);
    }

    static long ParseNumber(string text, string line)
        => text == "*" ? Any
            : long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long n) ? n
            : throw new FormatException($"devices.list: bad line \"{line}\"");

    static string Number(long n) => n < 0 ? "*" : n.ToString(CultureInfo.InvariantCulture);
}
