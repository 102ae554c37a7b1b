using System.Text;

namespace Berth.Linux.Net;

/// <summary>
/// Kernel parameters under /proc/sys. The net.* ones belong to the network namespace of the calling
/// thread: inside <see cref="NetworkNamespace.Run{T}(Func{T})"/> they are the namespace's own.
/// </summary>
public static class Sysctl
{
    /// <summary>The value without its trailing newline; <paramref name="key"/> as "net.ipv4.ip_forward" or "net/ipv4/ip_forward".</summary>
    public static string Read(string key)
    {
        string path = PathOf(key);
        using var file = Files.Open(path, OpenFlags.ReadOnly);
        Span<byte> buffer = stackalloc byte[4096];
        int length = 0;
        while (length < buffer.Length)
        {
            int n = Files.Read(file, buffer[length..]);
            if (n == 0)
                break;
            length += n;
        }
        if (length == buffer.Length && Files.Read(file, buffer[..1]) > 0)
            throw new InvalidDataException($"sysctl {key}: value longer than {buffer.Length} bytes");
        return Encoding.UTF8.GetString(buffer[..length]).TrimEnd('\n');
    }

    /// <summary>Writes the value in one write(2), as procfs wants it.</summary>
    public static void Write(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Files.WriteText(PathOf(key), value);
    }

    /// <summary>
    /// The file of a key. Dots separate components unless the key has a slash, as sysctl(8) reads it, so a
    /// link name with a dot ("eth0.100") needs the slash form.
    /// </summary>
    public static string PathOf(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        string relative = key.Contains('/') ? key.TrimStart('/') : key.Replace('.', '/');
        if (relative.Split('/').Any(part => part is "" or "." or ".."))
            throw new ArgumentException($"invalid sysctl key \"{key}\"", nameof(key));
        return "/proc/sys/" + relative;
    }
}
