using System.Globalization;
using Berth.Images.References;
using Berth.Images.Store;

namespace Berth.Images.CrashHelper;

/// <summary>
/// The image operations a kill -9 may interrupt, one random step at a time on a real store: loads
/// of an archive, imports, commits of a container's changes (written straight into its snapshot's
/// layer directory: no mount to leave behind), removals and collections.
/// </summary>
internal sealed class StoreWork(ImageStore store, string rootfsTar, string archive, Random random)
{
    public void Step()
    {
        switch (random.Next(10))
        {
            case < 3:
                using (var input = File.OpenRead(archive))
                    store.Load(input);
                break;
            case < 5:
                using (var input = File.OpenRead(rootfsTar))
                    store.Import(input, new ImportOptions { Names = [Name()] });
                break;
            case < 8:
                Commit();
                break;
            case 8:
                if (store.List() is { Count: > 0 } images)
                {
                    try
                    {
                        store.Remove(images[random.Next(images.Count)].Id.ToString(), new RemoveOptions { Force = true });
                    }
                    catch (StoreException e) when (e.Kind == StoreErrorKind.Conflict)
                    {
                        // An image with children stays, as in Docker.
                    }
                }
                break;
            default:
                store.CollectGarbage();
                break;
        }
    }

    void Commit()
    {
        var images = store.List();
        if (images.Count == 0)
            return;
        var image = images[random.Next(images.Count)];
        string key = $"container-{Guid.NewGuid():N}";
        store.PrepareContainer(image, key);
        try
        {
            string layer = store.Snapshotter.LayerDirectory(key).Path;
            var data = new byte[random.Next(1, 8_000_000)];
            random.NextBytes(data);
            File.WriteAllBytes(Path.Combine(layer, "written.bin"), data);
            store.Commit(key, image, new CommitOptions { Names = [Name()], Comment = "crash test" });
        }
        finally
        {
            store.Snapshotter.Remove(key);
        }
    }

    Reference Name() => Reference.ParseNormalized(string.Create(CultureInfo.InvariantCulture, $"crash/image-{random.Next(5)}:latest"));
}
