using Berth.Engine.Health;
using Berth.Engine.Model;
using Berth.Images;
using Berth.Images.Store;
using LogConfig = Berth.Engine.Logs.LogConfig;
using LogConfigException = Berth.Engine.Logs.LogConfigException;
using LogDrivers = Berth.Engine.Logs.LogDrivers;

namespace Berth.Engine.Containers;

public sealed partial class ContainerService
{
    /// <summary>
    /// <c>docker create</c>: checks the request, resolves the image, merges its config, makes the
    /// container's writable snapshot and its files. Bad input changes nothing.
    /// </summary>
    public (Container Container, List<string> Warnings) Create(ContainerCreateRequest request, string? name)
    {
        var config = request.ToContainerConfig();
        var host = request.HostConfig ?? new HostConfig();
        if (string.IsNullOrEmpty(config.Image))
            throw EngineException.Invalid("No image specified");
        var warnings = Validate(host);
        HealthSettings.Validate(config.Healthcheck);

        Image image;
        try
        {
            image = Images.Get(config.Image);
        }
        catch (StoreException e) when (e.Kind == StoreErrorKind.NotFound)
        {
            throw EngineException.NotFound($"No such image: {config.Image}");
        }
        catch (StoreException e) when (e.Kind == StoreErrorKind.InvalidArgument)
        {
            throw EngineException.Invalid(e.Message);
        }

        ConfigMerge.Apply(config, image.Config.Config);
        var command = ConfigMerge.Command(config);
        if (command.Count == 0)
            throw EngineException.Invalid("no command specified");
        var mountPlan = PlanMounts(config, host);

        string runtime = string.IsNullOrEmpty(host.Runtime) ? Options.DefaultRuntime : host.Runtime;
        RuntimeOf(runtime);
        host.Runtime = runtime;
        host.LogConfig ??= new Model.LogConfig();
        if (string.IsNullOrEmpty(host.LogConfig.Type))
        {
            host.LogConfig.Type = Options.DefaultLogConfig.Type;
            host.LogConfig.Config ??= new Dictionary<string, string>(Options.DefaultLogConfig.Options);
        }
        host.LogConfig.Config ??= [];
        var logConfig = new LogConfig(host.LogConfig.Type, host.LogConfig.Config);
        try
        {
            LogDrivers.Validate(logConfig);
        }
        catch (LogConfigException e)
        {
            throw EngineException.Invalid(e.Message);
        }
        if (string.IsNullOrEmpty(host.NetworkMode))
            host.NetworkMode = "default";

        var record = new ContainerRecord
        {
            Created = DateTimeOffset.UtcNow,
            ImageName = config.Image,
            ImageId = image.Id.ToString(),
            Path = command[0],
            Args = command[1..],
            Config = config,
            HostConfig = host,
            Runtime = runtime,
            Driver = Images.Snapshotter.Name,
        };
        Networks.PrepareCreate(record, request.NetworkingConfig);
        var container = Store.Add(record, string.IsNullOrEmpty(name) ? null : name);
        try
        {
            host.Links = ContainerLinks.Normalize(host.Links, Store, container.Record.Name);
            if (string.IsNullOrEmpty(config.Hostname))
                config.Hostname = container.Record.ShortId;
            record.LogPath = LogDrivers.LogPath(logConfig, container.Directory, container.Id) ?? "";
            Images.PrepareContainer(image, container.Id, new Dictionary<string, string> { ["berth.container"] = container.Id });
            ContainerFiles.Write(container, Networks.UsesEmbeddedDns(record), Networks.HostGateway);
            RealizeMounts(container, mountPlan);
            Store.Save(container);
        }
        catch
        {
            try
            {
                Images.Snapshotter.Remove(container.Id);
            }
            catch (Exception)
            {
                // Not made yet, or already gone: nothing to undo.
            }
            Store.Remove(container);
            ReleaseVolumes(container, removeAnonymous: true);
            throw;
        }
        Publish(container, "create");
        return (container, warnings);
    }

    /// <summary>dockerd's checks of the host config; limits this machine cannot apply are dropped with its warnings.</summary>
    List<string> Validate(HostConfig host)
    {
        if (host.RestartPolicy is { } policy)
        {
            ResourceRules.ValidateRestartPolicy(policy);
            if (host.AutoRemove && policy.Name is not ("" or "no"))
                throw EngineException.Invalid("conflicting options: cannot specify both --restart and --rm");
        }
        var warnings = ResourceRules.Verify(host, update: false, CgroupSupport) ?? [];
        if (host.CpuShares < 0)
            throw EngineException.Invalid("invalid CPU shares: must be a positive value");
        foreach (string cap in (host.CapAdd ?? []).Concat(host.CapDrop ?? []))
            SpecBuilder.CapabilityName(cap);
        if (host.ShmSize < 0)
            throw EngineException.Invalid("SHM size can not be less than 0");
        Security.ContainerSeccomp.Validate(Security.SecurityOptions.Parse(host.SecurityOpt).SeccompProfile);
        // dockerd's adaptContainerSettings: swap defaults to as much again as the memory limit.
        if (host.Memory > 0 && host.MemorySwap == 0)
            host.MemorySwap = host.Memory * 2;
        return warnings;
    }
}
