using Berth.Linux;
using Berth.Oci.Runtime;
using Berth.Runtime.Init;

namespace Berth.Runtime.Cli;

/// <summary>What `features` reports: the spec range, hooks, mount options, namespaces, capabilities, cgroups, seccomp.</summary>
internal static class RuntimeFeatures
{
    public static Features Describe() => new()
    {
        OciVersionMin = "1.0.0",
        OciVersionMax = RuntimeInfo.OciVersion,
        Hooks = ["prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop"],
        MountOptions = MountOptions.AllKnown.Order(StringComparer.Ordinal).ToList(),
        Linux = new LinuxFeatures
        {
            Namespaces = ["cgroup", "ipc", "mount", "network", "pid", "time", "user", "uts"],
            Capabilities = Enumerable.Range(0, Capabilities.LastCap + 1).Select(Capabilities.Name).ToList(),
            Cgroup = new CgroupFeatures { V1 = true, V2 = true, Systemd = false, SystemdUser = false, Rdma = false },
            Seccomp = Seccomp.SeccompFilter.Features(),
            Apparmor = new EnabledFeature { Enabled = false },
            Selinux = new EnabledFeature { Enabled = false },
            IntelRdt = new IntelRdtFeatures { Enabled = false },
            MountExtensions = new MountExtensionsFeatures { IdMap = new EnabledFeature { Enabled = false } },
        },
        Annotations = new Dictionary<string, string>
        {
            ["org.opencontainers.runtime-spec.features"] = "berth-runtime",
            ["io.github.berth.runtime.version"] = RuntimeInfo.Version,
        },
    };
}
