using Berth.Images.Store;

namespace Berth.Engine.Volumes;

public sealed partial class VolumeService
{
    /// <summary>
    /// Gives a new container its planned mounts: creates the volumes it names that do not exist and its anonymous
    /// ones, mounts those with a device, and copies the image's content into every empty volume that asks for it
    /// (moby's populateVolumes). On failure the volumes made here are removed again.
    /// </summary>
    /// <param name="image">The container's root file system, mounted for the copy (only called when needed).</param>
    public List<ContainerMountPoint> Realize(IReadOnlyList<PlannedMount> planned, Containers.ContainerRecord record, Func<MountedSnapshot> image)
    {
        var made = new List<string>();
        var points = new List<ContainerMountPoint>();
        lock (_lock)
        {
            try
            {
                var copies = new List<ContainerMountPoint>();
                foreach (var plan in planned)
                {
                    var point = plan.Point.Clone();
                    if (point.Type == "volume")
                    {
                        bool anonymous = point.Name.Length == 0;
                        var labels = plan.Labels;
                        if (anonymous)
                        {
                            point.Name = VolumeNames.NewAnonymous();
                            labels = new Dictionary<string, string>(labels ?? []) { [VolumeNames.AnonymousLabel] = "" };
                        }
                        var (volume, created) = GetOrCreate(point.Name, plan.DriverOptions, labels);
                        if (created)
                            made.Add(volume.Name);
                        point.Source = Store.DataPath(volume.Name);
                        point.Driver = volume.Driver;
                        if (LocalDriver.Mounts(volume.Options))
                            LocalDriver.Mount(volume.Options!, point.Source);
                        if (point.CopyData && IsEmpty(point.Source))
                            copies.Add(point);
                    }
                    points.Add(point);
                }
                if (copies.Count > 0)
                {
                    using var root = image();
                    foreach (var point in copies)
                        VolumeCopyUp.Copy(root.Path, point.Destination, point.Source);
                }
                record.MountPoints = points;
                return points;
            }
            catch
            {
                foreach (string name in made)
                {
                    try
                    {
                        Destroy(name);
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        log($"volume {name}: undoing its create: {e.Message}");
                    }
                }
                throw;
            }
        }
    }

    /// <summary>Mount points of a container for --volumes-from, read under the lock that guards volume removal.</summary>
    public IReadOnlyList<ContainerMountPoint> MountsOf(Containers.Container container)
        => container.Record.MountPoints ?? [.. LegacyMounts.Of(container.Record.HostConfig)];

    static bool IsEmpty(string directory) => !Directory.EnumerateFileSystemEntries(directory).Any();
}
