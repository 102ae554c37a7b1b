using Berth.Engine.Health;

namespace Berth.Engine.Containers;

public sealed partial class ContainerService
{
    /// <summary>
    /// Runs the containers' health checks. Set by the engine once its exec service exists (probes
    /// are execs), before any container is started or restored.
    /// </summary>
    public HealthMonitor? Health { get; set; }
}
