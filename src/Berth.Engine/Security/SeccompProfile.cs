using System.Text.Json.Serialization;
using Berth.Oci.Runtime;

namespace Berth.Engine.Security;

/// <summary>
/// A seccomp profile as Docker takes it (<c>--security-opt seccomp=profile.json</c>, daemon.json's
/// <c>seccomp-profile</c>, Docker's default profile): the OCI spec's <c>linux.seccomp</c>, plus an
/// <c>archMap</c> that names the architectures per host architecture, and rules that apply only on
/// some architectures, kernels or capability sets. <see cref="SeccompProfileSetup"/> turns it into the
/// spec's filter for one container on this host. Read with <see cref="SeccompProfileJson"/>.
/// </summary>
public sealed class SeccompProfile
{
    [JsonPropertyName("defaultAction")]
    public string? DefaultAction { get; set; }

    [JsonPropertyName("defaultErrnoRet")]
    public uint? DefaultErrnoRet { get; set; }

    /// <summary>The spec's own list; a profile gives this or <see cref="ArchMap"/>, not both.</summary>
    [JsonPropertyName("architectures")]
    public List<string>? Architectures { get; set; }

    [JsonPropertyName("flags")]
    public List<string>? Flags { get; set; }

    [JsonPropertyName("listenerPath")]
    public string? ListenerPath { get; set; }

    [JsonPropertyName("listenerMetadata")]
    public string? ListenerMetadata { get; set; }

    [JsonPropertyName("archMap")]
    public List<SeccompArchitecture>? ArchMap { get; set; }

    [JsonPropertyName("syscalls")]
    public List<SeccompRule>? Syscalls { get; set; }
}

/// <summary>An architecture (<c>SCMP_ARCH_X86_64</c>) and the ones its processes may also run as (X86, X32).</summary>
public sealed class SeccompArchitecture
{
    [JsonPropertyName("architecture")]
    public string? Architecture { get; set; }

    [JsonPropertyName("subArchitectures")]
    public List<string>? SubArchitectures { get; set; }
}

/// <summary>The spec's syscall rule, with Docker's conditions on when it applies.</summary>
public sealed class SeccompRule
{
    [JsonPropertyName("names")]
    public List<string>? Names { get; set; }

    /// <summary>Old profiles' single name; a rule gives this or <see cref="Names"/>, not both.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("action")]
    public string? Action { get; set; }

    [JsonPropertyName("errnoRet")]
    public uint? ErrnoRet { get; set; }

    [JsonPropertyName("args")]
    public List<LinuxSeccompArg>? Args { get; set; }

    [JsonPropertyName("comment")]
    public string? Comment { get; set; }

    /// <summary>The rule applies only when all of these hold.</summary>
    [JsonPropertyName("includes")]
    public SeccompCondition? Includes { get; set; }

    /// <summary>The rule does not apply when any of these holds.</summary>
    [JsonPropertyName("excludes")]
    public SeccompCondition? Excludes { get; set; }
}

/// <summary>
/// When a rule applies: capabilities of the container (<c>CAP_SYS_ADMIN</c>), host architectures in
/// libseccomp's native names (<c>amd64</c>, <c>x32</c>, <c>arm64</c>, ...), and a minimum kernel
/// (<c>"4.8"</c>: version and major revision only).
/// </summary>
public sealed class SeccompCondition
{
    [JsonPropertyName("caps")]
    public List<string>? Caps { get; set; }

    [JsonPropertyName("arches")]
    public List<string>? Arches { get; set; }

    [JsonPropertyName("minKernel")]
    public string? MinKernel { get; set; }
}
