using System.Globalization;
using System.Text;

namespace Berth.Linux.Cgroups;

/// <summary>
/// Reading and writing cgroup interface files. Every failure is a <see cref="LinuxException"/>
/// that names the file and the errno (<c>write /sys/fs/cgroup/pids/berth/x/pids.max: invalid argument</c>).
/// </summary>
public static class CgroupFiles
{
    /// <summary>The whole file; throws a <see cref="LinuxException"/> naming the path.</summary>
    public static string Read(string dir, string file)
    {
        string path = Path.Join(dir, file);
        int errno = TryReadPath(path, out string text);
        if (errno != 0)
            throw new LinuxException(errno, $"read {path}");
        return text;
    }

    /// <summary>The whole file, or false when it does not exist.</summary>
    public static bool TryRead(string dir, string file, out string text)
    {
        string path = Path.Join(dir, file);
        int errno = TryReadPath(path, out text);
        if (errno is Errno.ENOENT or Errno.ENODEV)
            return false;
        if (errno != 0)
            throw new LinuxException(errno, $"read {path}");
        return true;
    }

    public static bool Exists(string dir, string file) => File.Exists(Path.Join(dir, file));

    /// <summary>Writes the value in one write(2), as cgroupfs expects; throws naming the path.</summary>
    public static void Write(string dir, string file, string value) => Files.WriteText(Path.Join(dir, file), value);

    /// <summary>Writes the value; returns the errno, 0 on success.</summary>
    public static int TryWrite(string dir, string file, string value)
    {
        try
        {
            Write(dir, file, value);
            return 0;
        }
        catch (LinuxException e)
        {
            return e.Errno;
        }
    }

    /// <summary>A single number; "max" reads as <see cref="ulong.MaxValue"/>.</summary>
    public static ulong ReadUInt64(string dir, string file) => ParseUInt64(Read(dir, file).Trim(), Path.Join(dir, file));

    /// <summary>A single signed number ("-1" in v1 files); "max" reads as <see cref="long.MaxValue"/>.</summary>
    public static long ReadInt64(string dir, string file)
    {
        string text = Read(dir, file).Trim();
        if (text == "max")
            return long.MaxValue;
        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value)
            ? value : throw new FormatException($"{Path.Join(dir, file)}: \"{text}\" is not a number");
    }

    /// <summary>Space-separated numbers on one line (cpuacct.usage_percpu).</summary>
    public static List<ulong> ReadUInt64List(string dir, string file)
    {
        string path = Path.Join(dir, file);
        return Words(Read(dir, file)).Select(w => ParseUInt64(w, path)).ToList();
    }

    /// <summary>A flat keyed file ("key value" per line: memory.stat, cpu.stat, memory.events).</summary>
    public static Dictionary<string, ulong> ReadKeyValues(string dir, string file) => ParseKeyValues(Read(dir, file), Path.Join(dir, file));

    public static Dictionary<string, ulong> ParseKeyValues(string text, string what = "cgroup file")
    {
        var map = new Dictionary<string, ulong>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var words = Words(line);
            if (words.Length == 2)
                map[words[0]] = ParseUInt64(words[1], what);
        }
        return map;
    }

    /// <summary>The words of a file's text (cgroup.controllers, cgroup.procs, cpuacct.usage_percpu).</summary>
    public static string[] Words(string text) => text.Split([' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries);

    public static ulong ParseUInt64(string text, string what = "cgroup file")
    {
        if (text == "max")
            return ulong.MaxValue;
        if (ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong value))
            return value;
        // v1 files print unlimited as a large number; a negative value (-1) also means none.
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long signed) && signed < 0)
            return ulong.MaxValue;
        throw new FormatException($"{what}: \"{text}\" is not a number");
    }

    static int TryReadPath(string path, out string text)
    {
        text = "";
        int rc = Files.TryOpen(path, OpenFlags.ReadOnly, out var handle);
        if (rc < 0)
            return -rc;
        using (handle)
        {
            var buffer = new byte[4096];
            int length = 0;
            while (true)
            {
                if (length == buffer.Length)
                    Array.Resize(ref buffer, buffer.Length * 2);
                int n;
                try
                {
                    n = Files.Read(handle!, buffer.AsSpan(length));
                }
                catch (LinuxException e)
                {
                    return e.Errno;
                }
                if (n == 0)
                    break;
                length += n;
            }
            text = Encoding.UTF8.GetString(buffer, 0, length);
            return 0;
        }
    }
}
