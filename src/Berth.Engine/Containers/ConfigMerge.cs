using Berth.Engine.Health;
using Berth.Engine.Model;
using Berth.Oci.Image;

namespace Berth.Engine.Containers;

/// <summary>
/// Docker's merge of an image's config into a new container's (moby daemon/commit.go merge): what
/// the client left out comes from the image; env and labels are combined, the client's winning.
/// </summary>
public static class ConfigMerge
{
    public static void Apply(ContainerConfig config, ExecutionConfig? image)
    {
        if (image is null)
            return;
        if (string.IsNullOrEmpty(config.User))
            config.User = image.User ?? "";
        if (image.ExposedPorts is { Count: > 0 })
        {
            config.ExposedPorts ??= [];
            foreach (string port in image.ExposedPorts)
                config.ExposedPorts.TryAdd(port, new());
        }
        if (config.Env is null || config.Env.Count == 0)
        {
            config.Env = [.. image.Env ?? []];
        }
        else
        {
            foreach (string env in image.Env ?? [])
            {
                string key = KeyOf(env);
                if (!config.Env.Any(e => KeyOf(e) == key))
                    config.Env.Add(env);
            }
        }
        if (image.Labels is { Count: > 0 })
        {
            var labels = new Dictionary<string, string>(image.Labels);
            foreach (var (k, v) in config.Labels ?? [])
                labels[k] = v;
            config.Labels = labels;
        }
        if (config.Entrypoint is null || config.Entrypoint.Count == 0)
        {
            if (config.Cmd is null || config.Cmd.Count == 0)
            {
                config.Cmd = image.Cmd is null ? null : [.. image.Cmd];
                config.ArgsEscaped = image.ArgsEscaped;
            }
            if (config.Entrypoint is null)
                config.Entrypoint = image.Entrypoint is null ? null : [.. image.Entrypoint];
        }
        if (image.Healthcheck is { } hc)
        {
            if (config.Healthcheck is null)
            {
                config.Healthcheck = HealthConfigCopy.FromImage(hc);
            }
            else
            {
                var user = config.Healthcheck;
                if (user.Test is null || user.Test.Count == 0)
                    user.Test = hc.Test is null ? null : [.. hc.Test];
                if (user.Interval == 0)
                    user.Interval = hc.Interval;
                if (user.Timeout == 0)
                    user.Timeout = hc.Timeout;
                if (user.StartPeriod == 0)
                    user.StartPeriod = hc.StartPeriod;
                if (user.StartInterval == 0)
                    user.StartInterval = hc.StartInterval;
                if (user.Retries == 0)
                    user.Retries = hc.Retries;
            }
        }
        if (string.IsNullOrEmpty(config.WorkingDir))
            config.WorkingDir = image.WorkingDir ?? "";
        if (image.Volumes is { Count: > 0 })
        {
            config.Volumes ??= [];
            foreach (string volume in image.Volumes)
                config.Volumes.TryAdd(volume, new());
        }
        if (string.IsNullOrEmpty(config.StopSignal))
            config.StopSignal = image.StopSignal;
        if (config.OnBuild is null && image.OnBuild is not null)
            config.OnBuild = [.. image.OnBuild];
    }

    /// <summary>The process a container runs: its entrypoint followed by its command.</summary>
    public static List<string> Command(ContainerConfig config)
        => [.. config.Entrypoint ?? [], .. config.Cmd ?? []];

    public static string KeyOf(string env) => env.IndexOf('=') is var eq and >= 0 ? env[..eq] : env;
}
