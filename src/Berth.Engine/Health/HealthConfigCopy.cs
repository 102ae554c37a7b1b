using Berth.Engine.Model;
using Berth.Oci.Image;

namespace Berth.Engine.Health;

/// <summary>An image's HEALTHCHECK (image spec) and a container's Healthcheck (API) carry the same fields: copies both ways.</summary>
public static class HealthConfigCopy
{
    public static HealthConfig? FromImage(HealthcheckConfig? check) => check is null ? null : new HealthConfig
    {
        Test = check.Test is null ? null : [.. check.Test],
        Interval = check.Interval,
        Timeout = check.Timeout,
        StartPeriod = check.StartPeriod,
        StartInterval = check.StartInterval,
        Retries = check.Retries,
    };

    public static HealthcheckConfig? ToImage(HealthConfig? check) => check is null ? null : new HealthcheckConfig
    {
        Test = check.Test is null ? null : [.. check.Test],
        Interval = check.Interval,
        Timeout = check.Timeout,
        StartPeriod = check.StartPeriod,
        StartInterval = check.StartInterval,
        Retries = check.Retries,
    };
}
