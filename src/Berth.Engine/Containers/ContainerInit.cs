using Berth.Engine.Model;
using Berth.Oci.Runtime;

namespace Berth.Engine.Containers;

/// <summary>
/// <c>--init</c> as Docker does it (moby daemon oci_linux.go): the init executable bind-mounted
/// read-only at /sbin/docker-init, and the process run as <c>/sbin/docker-init -- CMD ARGS...</c>, so
/// that <c>ps</c> in the container shows what it shows under Docker.
/// </summary>
public static class ContainerInit
{
    public const string PathInContainer = "/sbin/docker-init";

    /// <summary>HostConfig.Init, or the daemon's default when the container leaves it unset.</summary>
    public static bool IsWanted(HostConfig host, EngineOptions options) => host.Init ?? options.Init;

    public static List<string> Args(IEnumerable<string> command) => [PathInContainer, "--", .. command];

    /// <exception cref="EngineException">The init executable is not there.</exception>
    public static Mount Mount(string initPath)
    {
        if (!File.Exists(initPath))
            throw EngineException.System($"init binary {initPath} not found: install berth-init next to berthd or set init-path");
        return new Mount { Destination = PathInContainer, Type = "bind", Source = initPath, Options = ["bind", "ro"] };
    }
}
