using System.Globalization;

namespace Berth.Bench.Build;

/// <summary>Peak resident memory (VmHWM) of a daemon, with that of its children of a given name (dockerd's containerd).</summary>
internal static class DaemonMemory
{
    public static double PeakMiB(int pid, string? childName = null)
    {
        double total = Hwm(pid);
        if (childName is null)
            return total;
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int child))
                continue;
            try
            {
                if (ParentOf(child) == pid && File.ReadAllText($"/proc/{child}/comm").Trim() == childName)
                    total += Hwm(child);
            }
            catch (IOException)
            {
                // Gone between the listing and the read.
            }
        }
        return total;
    }

    static double Hwm(int pid)
    {
        foreach (string line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
        }
        throw new InvalidOperationException($"no VmHWM for {pid}");
    }

    static int ParentOf(int pid)
    {
        string stat = File.ReadAllText($"/proc/{pid}/stat");
        return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
    }
}
