using Berth.Engine;
using Berth.Engine.Health;
using Berth.Engine.Model;
using Berth.Images.Store;

namespace Berth.Api.Views;

/// <summary>Images as Docker's list and inspect show them.</summary>
public static class ImageViews
{
    public static List<ImageSummary> List(BerthEngine engine, bool all, Filters filters)
    {
        var images = engine.Images.List();
        // An untagged image with children is a build's intermediate step: Docker lists it only with --all.
        var parents = images.Where(i => i.Parent is not null).Select(i => i.Parent!.Value).ToHashSet();
        var result = new List<ImageSummary>();
        foreach (var image in images)
        {
            bool dangling = image.RepoTags.Count == 0;
            if (dangling && image.RepoDigests.Count == 0 && !all && parents.Contains(image.Id))
                continue;
            if (filters.Has("dangling") && filters.Get("dangling").Any(v => v is "true" or "1") != dangling)
                continue;
            var labels = image.Config.Config?.Labels;
            if (!filters.MatchesLabels("label", labels))
                continue;
            if (filters.Has("reference") && !filters.Get("reference").Any(pattern => image.RepoTags.Any(tag => ReferenceMatches(pattern, tag))))
                continue;
            result.Add(Summary(engine, image));
        }
        return result;
    }

    /// <summary>An image as the list shows it: Containers and SharedSize not computed (-1), as Docker's list.</summary>
    public static ImageSummary Summary(BerthEngine engine, Image image)
    {
        var labels = image.Config.Config?.Labels;
        return new ImageSummary
        {
            Containers = -1,
            Created = image.Created.ToUnixTimeSeconds(),
            Id = image.Id.ToString(),
            Labels = labels is null ? null : new Dictionary<string, string>(labels),
            ParentId = image.Parent?.ToString() ?? "",
            RepoDigests = [.. image.RepoDigests],
            RepoTags = [.. image.RepoTags],
            SharedSize = -1,
            Size = engine.Images.Size(image),
        };
    }

    /// <summary>Docker's reference filter: a glob on the familiar name, with or without its tag.</summary>
    static bool ReferenceMatches(string pattern, string tag)
    {
        string name = tag.Contains(':') ? tag[..tag.LastIndexOf(':')] : tag;
        return Glob(pattern, tag) || Glob(pattern, name);
    }

    static bool Glob(string pattern, string text)
        => System.IO.Enumeration.FileSystemName.MatchesSimpleExpression(pattern, text, ignoreCase: false);

    public static ImageInspectResponse Inspect(BerthEngine engine, Image image)
    {
        var inspect = engine.Images.Inspect(image);
        return new ImageInspectResponse
        {
            Id = inspect.Id,
            RepoTags = [.. inspect.RepoTags],
            RepoDigests = [.. inspect.RepoDigests],
            Parent = inspect.Parent,
            Comment = inspect.Comment,
            Created = inspect.Created,
            DockerVersion = inspect.DockerVersion,
            Author = inspect.Author,
            Config = ImageConfigView(inspect.Config),
            Architecture = inspect.Architecture,
            Variant = inspect.Variant,
            Os = inspect.Os,
            OsVersion = inspect.OsVersion,
            Size = inspect.Size,
            GraphDriver = new Berth.Engine.Model.GraphDriverData { Name = inspect.GraphDriver.Name, Data = new Dictionary<string, string>(inspect.GraphDriver.Data) },
            RootFS = new ImageRootFS { Type = "layers", Layers = [.. inspect.RootFSLayers] },
            Metadata = new ImageMetadata { LastTagTime = inspect.LastTagTime ?? default },
        };
    }

    static ImageConfig? ImageConfigView(Berth.Oci.Image.ExecutionConfig? c)
    {
        if (c is null)
            return null;
        return new ImageConfig
        {
            User = c.User ?? "",
            ExposedPorts = c.ExposedPorts?.ToDictionary(p => p, _ => new EmptyObject()),
            Env = c.Env is null ? null : [.. c.Env],
            Entrypoint = c.Entrypoint is null ? null : [.. c.Entrypoint],
            Cmd = c.Cmd is null ? null : [.. c.Cmd],
            Volumes = c.Volumes?.ToDictionary(v => v, _ => new EmptyObject()),
            WorkingDir = c.WorkingDir ?? "",
            Labels = c.Labels is null ? null : new Dictionary<string, string>(c.Labels),
            StopSignal = c.StopSignal,
            ArgsEscaped = c.ArgsEscaped,
            OnBuild = c.OnBuild is null ? null : [.. c.OnBuild],
            Shell = c.Shell is null ? null : [.. c.Shell],
            Healthcheck = HealthConfigCopy.FromImage(c.Healthcheck),
        };
    }
}
