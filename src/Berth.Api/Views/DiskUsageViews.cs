using Berth.Engine;
using Berth.Engine.Containers;
using Berth.Engine.Model;

namespace Berth.Api.Views;

/// <summary><c>GET /system/df</c> and the sizes of <c>GET /containers/json?size=1</c>, as Docker reports them.</summary>
public static class DiskUsageViews
{
    /// <summary>The usage of the kinds asked for (<c>type</c>: container, image, volume, build-cache; all when none).</summary>
    public static SystemDataUsage Of(BerthEngine engine, IReadOnlyCollection<string> types)
    {
        bool Wants(string type) => types.Count == 0 || types.Contains(type);
        var result = new SystemDataUsage();
        var containers = engine.Containers.Store.All();
        if (Wants("image"))
        {
            var usage = engine.Images.LayerUsage();
            result.LayersSize = usage.LayersSize;
            result.Images = [.. usage.Images.Select(u =>
            {
                string id = u.Image.Id.ToString();
                var summary = ImageViews.Summary(engine, u.Image);
                summary.Containers = containers.Count(c => c.Record.ImageId == id);
                summary.SharedSize = u.SharedSize;
                return summary;
            })];
        }
        if (Wants("container"))
            result.Containers = [.. containers.Select(c => WithSize(engine, c, ContainerViews.Summary(engine, c)))];
        if (Wants("volume"))
            result.Volumes = [.. engine.Volumes.Usage().Select(u => Engine.Volumes.VolumeViews.Of(engine.Volumes.Store, u.Volume, new VolumeUsageData { RefCount = u.RefCount, Size = u.Size }))];
        if (Wants("build-cache"))
            result.BuildCache = [];
        return result;
    }

    /// <summary>The summary with SizeRw (the container's writable layer) and SizeRootFs (that plus its image).</summary>
    public static ContainerSummary WithSize(BerthEngine engine, Container container, ContainerSummary summary)
    {
        long rw = WritableLayerSize(engine, container);
        long image = engine.Images.TryGet(container.Record.ImageId) is { } i ? engine.Images.Size(i) : 0;
        summary.SizeRw = rw;
        summary.SizeRootFs = rw + image;
        return summary;
    }

    /// <summary>The size of what the container wrote; 0 when its layer is gone (a container being removed).</summary>
    public static long WritableLayerSize(BerthEngine engine, Container container)
    {
        try
        {
            return engine.Images.Snapshotter.Usage(container.Id).Size;
        }
        catch (Exception e) when (e is Berth.Images.StoreException or IOException)
        {
            return 0;
        }
    }
}
