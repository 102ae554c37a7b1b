using System.Text.Json.Serialization;

namespace Berth.Oci.Runtime;

/// <summary>
/// What <c>runc features</c> prints (runtime-spec <c>features.Features</c>; runc indents it with four spaces).
/// For every list and flag, null means "unknown", not "none" or "false".
/// </summary>
public sealed class Features
{
    [JsonPropertyName("ociVersionMin")]
    public string? OciVersionMin { get; set; }

    [JsonPropertyName("ociVersionMax")]
    public string? OciVersionMax { get; set; }

    /// <summary>Recognised hook names (<c>prestart</c>, <c>createRuntime</c>, ...).</summary>
    [JsonPropertyName("hooks")]
    public List<string>? Hooks { get; set; }

    /// <summary>Recognised mount options, without filesystem-specific data options.</summary>
    [JsonPropertyName("mountOptions")]
    public List<string>? MountOptions { get; set; }

    [JsonPropertyName("linux")]
    public LinuxFeatures? Linux { get; set; }

    /// <summary>Implementation details (version, commit, libseccomp version). Written with sorted keys.</summary>
    [JsonPropertyName("annotations")]
    public Dictionary<string, string>? Annotations { get; set; }

    /// <summary>Config annotations that may change the runtime's behaviour; a trailing <c>.</c> marks a prefix.</summary>
    [JsonPropertyName("potentiallyUnsafeConfigAnnotations")]
    public List<string>? PotentiallyUnsafeConfigAnnotations { get; set; }
}

/// <summary>The <c>linux</c> part of <see cref="Features"/>.</summary>
public sealed class LinuxFeatures
{
    [JsonPropertyName("namespaces")]
    public List<string>? Namespaces { get; set; }

    [JsonPropertyName("capabilities")]
    public List<string>? Capabilities { get; set; }

    [JsonPropertyName("cgroup")]
    public CgroupFeatures? Cgroup { get; set; }

    [JsonPropertyName("seccomp")]
    public SeccompFeatures? Seccomp { get; set; }

    [JsonPropertyName("apparmor")]
    public EnabledFeature? Apparmor { get; set; }

    [JsonPropertyName("selinux")]
    public EnabledFeature? Selinux { get; set; }

    [JsonPropertyName("intelRdt")]
    public IntelRdtFeatures? IntelRdt { get; set; }

    [JsonPropertyName("mountExtensions")]
    public MountExtensionsFeatures? MountExtensions { get; set; }

    [JsonPropertyName("netDevices")]
    public EnabledFeature? NetDevices { get; set; }
}

/// <summary>Which cgroup drivers are compiled in (not what the host uses).</summary>
public sealed class CgroupFeatures
{
    [JsonPropertyName("v1")]
    public bool? V1 { get; set; }

    [JsonPropertyName("v2")]
    public bool? V2 { get; set; }

    [JsonPropertyName("systemd")]
    public bool? Systemd { get; set; }

    [JsonPropertyName("systemdUser")]
    public bool? SystemdUser { get; set; }

    [JsonPropertyName("rdma")]
    public bool? Rdma { get; set; }
}

/// <summary>Seccomp support: libseccomp names the runtime recognises.</summary>
public sealed class SeccompFeatures
{
    [JsonPropertyName("enabled")]
    public bool? Enabled { get; set; }

    [JsonPropertyName("actions")]
    public List<string>? Actions { get; set; }

    [JsonPropertyName("operators")]
    public List<string>? Operators { get; set; }

    [JsonPropertyName("archs")]
    public List<string>? Archs { get; set; }

    /// <summary>Filter flags the runtime knows.</summary>
    [JsonPropertyName("knownFlags")]
    public List<string>? KnownFlags { get; set; }

    /// <summary>The subset of <see cref="KnownFlags"/> that this kernel and libseccomp support.</summary>
    [JsonPropertyName("supportedFlags")]
    public List<string>? SupportedFlags { get; set; }
}

/// <summary>A feature that is only compiled in or not: <c>apparmor</c>, <c>selinux</c>, <c>idmap</c>, <c>netDevices</c>.</summary>
public sealed class EnabledFeature
{
    [JsonPropertyName("enabled")]
    public bool? Enabled { get; set; }
}

/// <summary>Intel RDT support.</summary>
public sealed class IntelRdtFeatures
{
    [JsonPropertyName("enabled")]
    public bool? Enabled { get; set; }

    /// <summary>Whether <see cref="LinuxIntelRdt.Schemata"/> is implemented.</summary>
    [JsonPropertyName("schemata")]
    public bool? Schemata { get; set; }
}

/// <summary>Mount extensions.</summary>
public sealed class MountExtensionsFeatures
{
    /// <summary>Idmapped mounts (<see cref="Mount.UidMappings"/>).</summary>
    [JsonPropertyName("idmap")]
    public EnabledFeature? IdMap { get; set; }
}
