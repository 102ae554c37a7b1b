using Berth.Engine.Containers;
using OciMount = Berth.Oci.Runtime.Mount;

namespace Berth.Engine.Volumes;

/// <summary>A container's mount points as OCI mounts (moby daemon/oci_linux.go WithMounts), replacing defaults at the same place.</summary>
public static class OciMounts
{
    public static void AddTo(List<OciMount> mounts, ContainerRecord record)
    {
        var points = record.MountPoints ?? [.. LegacyMounts.Of(record.HostConfig)];
        foreach (var point in MountPlanner.InMountOrder(points))
        {
            mounts.RemoveAll(m => m.Destination == point.Destination);
            mounts.Add(Of(point));
        }
    }

    public static OciMount Of(ContainerMountPoint point)
    {
        if (point.Type == "tmpfs")
        {
            var options = new List<string> { "noexec", "nosuid", "nodev", "rprivate" };
            if (point.TmpfsSize > 0)
                options.Add("size=" + TmpfsSize(point.TmpfsSize));
            if (point.TmpfsMode != 0)
                options.Add("mode=" + Convert.ToString(point.TmpfsMode & 0xFFF, 8));
            if (!point.RW)
                options.Add("ro");
            return new OciMount { Destination = point.Destination, Type = "tmpfs", Source = "tmpfs", Options = options };
        }
        // Docker makes a missing -v source directory; --mount refused it at create.
        if (point.Type == "bind" && point.CreateSource && !Directory.Exists(point.Source) && !File.Exists(point.Source))
            Directory.CreateDirectory(point.Source);
        var bind = new List<string> { point.NonRecursive ? "bind" : "rbind" };
        if (!point.RW)
            bind.Add("ro");
        bind.Add(point.Propagation.Length > 0 ? point.Propagation : "rprivate");
        return new OciMount { Destination = point.Destination, Type = "bind", Source = point.Source, Options = bind };
    }

    /// <summary>Docker's tmpfs size: the largest of g, m, k that divides it, or bytes.</summary>
    static string TmpfsSize(long size)
    {
        foreach (var (suffix, divisor) in new[] { ("g", 1L << 30), ("m", 1L << 20), ("k", 1L << 10) })
        {
            if (size % divisor == 0)
                return $"{size / divisor}{suffix}";
        }
        return size.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
