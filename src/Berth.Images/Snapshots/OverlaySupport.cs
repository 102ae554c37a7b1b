using Berth.Linux;

namespace Berth.Images.Snapshots;

/// <summary>Whether overlayfs works with its directories on the file system of a data root (as Docker's overlay2 checks before it starts).</summary>
public static class OverlaySupport
{
    public static bool IsSupported(string root)
    {
        string probe = Path.Combine(root, $"overlay-check-{Guid.NewGuid():N}");
        string lower = Path.Combine(probe, "lower"), upper = Path.Combine(probe, "upper"), work = Path.Combine(probe, "work"), merged = Path.Combine(probe, "merged");
        try
        {
            foreach (string d in new[] { lower, upper, work, merged })
                Directory.CreateDirectory(d);
            if (Mounts.TryMount("overlay", merged, "overlay", MountFlags.None, $"lowerdir={lower},upperdir={upper},workdir={work}") != 0)
                return false;
            Mounts.TryUnmount(merged, UnmountFlags.Detach);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        finally
        {
            try
            {
                Directory.Delete(probe, recursive: true);
            }
            catch (IOException)
            {
                // The work directory may hold a root-owned work/ the kernel made: left for the next start.
            }
        }
    }
}
