using Berth.Linux.Cgroups;
using Berth.Oci.Runtime;

namespace Berth.Runtime.Cgroups;

internal sealed partial class ResourcesV1
{
    /// <summary>
    /// The weight files depend on the I/O scheduler: CFQ has blkio.weight, BFQ blkio.bfq.weight,
    /// others none. An unset weight needs none; a set one fails here when there is none.
    /// </summary>
    static (string? Weight, string? WeightDevice) WeightFiles(string dir)
        => CgroupFiles.Exists(dir, "blkio.weight") ? ("blkio.weight", "blkio.weight_device")
            : CgroupFiles.Exists(dir, "blkio.bfq.weight") ? ("blkio.bfq.weight", "blkio.bfq.weight_device")
            : (null, null);

    static void CheckBlockIO(string dir, LinuxBlockIO b)
    {
        var (weight, _) = WeightFiles(dir);
        const string why = "the I/O scheduler has no weights (neither blkio.weight nor blkio.bfq.weight exists in {0})";
        if (weight is null && b.Weight is not (null or 0))
            throw CgroupErrors.Unsupported("linux.resources.blockIO.weight", string.Format(null, why, dir));
        if (weight is null && b.WeightDevice?.FindIndex(d => d.Weight is not (null or 0)) is >= 0 and var i)
            throw CgroupErrors.Unsupported($"linux.resources.blockIO.weightDevice[{i}].weight", string.Format(null, why, dir));
        bool leaf = CgroupFiles.Exists(dir, "blkio.leaf_weight");
        if (!leaf && b.LeafWeight is not (null or 0))
            throw CgroupErrors.Unsupported("linux.resources.blockIO.leafWeight", $"the I/O scheduler has no leaf weights (no blkio.leaf_weight in {dir})");
        if (!leaf && b.WeightDevice?.FindIndex(d => d.LeafWeight is not (null or 0)) is >= 0 and var j)
            throw CgroupErrors.Unsupported($"linux.resources.blockIO.weightDevice[{j}].leafWeight", $"the I/O scheduler has no leaf weights (no blkio.leaf_weight_device in {dir})");
    }

    static void WriteBlockIO(string dir, LinuxBlockIO b)
    {
        var (weightFile, weightDeviceFile) = WeightFiles(dir);
        if (b.Weight is { } weight and not 0)
            CgroupErrors.Set("linux.resources.blockIO.weight", dir, weightFile!, Text(weight));
        if (b.LeafWeight is { } leafWeight and not 0)
            CgroupErrors.Set("linux.resources.blockIO.leafWeight", dir, "blkio.leaf_weight", Text(leafWeight));
        var devices = b.WeightDevice ?? [];
        for (int i = 0; i < devices.Count; i++)
        {
            var d = devices[i];
            if (d.Weight is { } w and not 0)
                CgroupErrors.Set($"linux.resources.blockIO.weightDevice[{i}].weight", dir, weightDeviceFile!, $"{d.Major}:{d.Minor} {w}");
            if (d.LeafWeight is { } lw and not 0)
                CgroupErrors.Set($"linux.resources.blockIO.weightDevice[{i}].leafWeight", dir, "blkio.leaf_weight_device", $"{d.Major}:{d.Minor} {lw}");
        }
        Throttle(dir, "throttleReadBpsDevice", "blkio.throttle.read_bps_device", b.ThrottleReadBpsDevice);
        Throttle(dir, "throttleWriteBpsDevice", "blkio.throttle.write_bps_device", b.ThrottleWriteBpsDevice);
        Throttle(dir, "throttleReadIOPSDevice", "blkio.throttle.read_iops_device", b.ThrottleReadIopsDevice);
        Throttle(dir, "throttleWriteIOPSDevice", "blkio.throttle.write_iops_device", b.ThrottleWriteIopsDevice);
    }

    static void Throttle(string dir, string name, string file, List<LinuxThrottleDevice>? devices)
    {
        for (int i = 0; i < (devices?.Count ?? 0); i++)
        {
            var d = devices![i];
            CgroupErrors.Set($"linux.resources.blockIO.{name}[{i}]", dir, file, $"{d.Major}:{d.Minor} {d.Rate}");
        }
    }
}
