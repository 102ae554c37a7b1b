using System.Globalization;
using Berth.Engine.Containers;
using Berth.Engine.Model;

namespace Berth.Engine.Volumes;

/// <summary>Volumes and mount points as Docker's API shows them.</summary>
public static class VolumeViews
{
    public static Volume Of(VolumeStore store, VolumeRecord record, VolumeUsageData? usage = null) => new()
    {
        CreatedAt = Rfc3339Seconds(record.CreatedAt),
        Driver = record.Driver,
        Labels = record.Labels,
        Mountpoint = store.DataPath(record.Name),
        Name = record.Name,
        Options = record.Options,
        Scope = "local",
        UsageData = usage,
    };

    /// <summary>Go's time.RFC3339 (seconds, "Z" for UTC), as the local driver writes CreatedAt.</summary>
    public static string Rfc3339Seconds(DateTimeOffset time)
        => time.Offset == TimeSpan.Zero
            ? time.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : time.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    /// <summary>A container's <c>Mounts</c> in inspect and list, ordered by destination.</summary>
    public static List<MountPoint> MountsOf(ContainerRecord record)
        => [.. (record.MountPoints ?? [.. LegacyMounts.Of(record.HostConfig)]).OrderBy(p => p.Destination, StringComparer.Ordinal).Select(p => new MountPoint
        {
            Type = p.Type,
            Name = p.Type == "volume" ? p.Name : null,
            Source = p.Source,
            Destination = p.Destination,
            Driver = p.Type == "volume" ? p.Driver : null,
            Mode = p.Mode,
            RW = p.RW,
            Propagation = p.Propagation,
        })];
}
