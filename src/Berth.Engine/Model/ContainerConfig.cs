using System.Text.Json.Serialization;
using static System.Text.Json.Serialization.JsonIgnoreCondition;

namespace Berth.Engine.Model;

/// <summary>
/// Docker's container <c>Config</c>: the portable part of a container's configuration, in the create body (at top
/// level), <c>Config</c> of container inspect and the commit body.
/// </summary>
public class ContainerConfig
{
    public ContainerConfig()
    {
    }

    /// <summary>A shallow copy of <paramref name="other"/>'s <see cref="ContainerConfig"/> fields.</summary>
    protected ContainerConfig(ContainerConfig other)
    {
        Hostname = other.Hostname;
        Domainname = other.Domainname;
        User = other.User;
        AttachStdin = other.AttachStdin;
        AttachStdout = other.AttachStdout;
        AttachStderr = other.AttachStderr;
        ExposedPorts = other.ExposedPorts;
        Tty = other.Tty;
        OpenStdin = other.OpenStdin;
        StdinOnce = other.StdinOnce;
        Env = other.Env;
        Cmd = other.Cmd;
        Healthcheck = other.Healthcheck;
        ArgsEscaped = other.ArgsEscaped;
        Image = other.Image;
        Volumes = other.Volumes;
        WorkingDir = other.WorkingDir;
        Entrypoint = other.Entrypoint;
        NetworkDisabled = other.NetworkDisabled;
        MacAddress = other.MacAddress;
        OnBuild = other.OnBuild;
        Labels = other.Labels;
        StopSignal = other.StopSignal;
        StopTimeout = other.StopTimeout;
        Shell = other.Shell;
    }

    /// <summary>
    /// The <see cref="ContainerConfig"/> fields alone, as a new object (shallow: lists and maps are shared); of a
    /// <see cref="ContainerCreateRequest"/>, its config part.
    /// </summary>
    public ContainerConfig ToContainerConfig() => new(this);

    public string Hostname { get; set; } = "";

    public string Domainname { get; set; } = "";

    public string User { get; set; } = "";

    public bool AttachStdin { get; set; }

    public bool AttachStdout { get; set; }

    public bool AttachStderr { get; set; }

    /// <summary>Ports as <c>"80/tcp"</c> to an empty object.</summary>
    [JsonIgnore(Condition = WhenWritingDefault)]
    public Dictionary<string, EmptyObject>? ExposedPorts { get; set; }

    public bool Tty { get; set; }

    public bool OpenStdin { get; set; }

    public bool StdinOnce { get; set; }

    public List<string>? Env { get; set; }

    [JsonConverter(typeof(StrSliceConverter))]
    public List<string>? Cmd { get; set; }

    [JsonIgnore(Condition = WhenWritingDefault)]
    public HealthConfig? Healthcheck { get; set; }

    [JsonIgnore(Condition = WhenWritingDefault)]
    public bool ArgsEscaped { get; set; }

    public string Image { get; set; } = "";

    /// <summary>Anonymous volumes: container path to an empty object.</summary>
    public Dictionary<string, EmptyObject>? Volumes { get; set; }

    public string WorkingDir { get; set; } = "";

    [JsonConverter(typeof(StrSliceConverter))]
    public List<string>? Entrypoint { get; set; }

    [JsonIgnore(Condition = WhenWritingDefault)]
    public bool NetworkDisabled { get; set; }

    /// <summary>Deprecated since API 1.44 (use <see cref="EndpointSettings.MacAddress"/>), ignored from 1.52.</summary>
    [JsonIgnore(Condition = WhenWritingDefault)]
    public string? MacAddress { get; set; }

    public List<string>? OnBuild { get; set; }

    public Dictionary<string, string>? Labels { get; set; }

    [JsonIgnore(Condition = WhenWritingDefault)]
    public string? StopSignal { get; set; }

    /// <summary>Seconds; Go's <c>*int</c>: written whenever set, 0 included.</summary>
    [JsonIgnore(Condition = WhenWritingDefault)]
    public int? StopTimeout { get; set; }

    [JsonIgnore(Condition = WhenWritingDefault)]
    [JsonConverter(typeof(StrSliceConverter))]
    public List<string>? Shell { get; set; }
}

/// <summary>
/// <c>HEALTHCHECK</c> settings (the image spec's <c>HealthcheckConfig</c>). Durations are nanoseconds; zero means
/// "inherit". <see cref="Test"/>: empty inherits, <c>["NONE"]</c> disables, <c>["CMD", args...]</c>,
/// <c>["CMD-SHELL", command]</c>.
/// </summary>
public sealed class HealthConfig
{
    [JsonIgnore(Condition = WhenWritingDefault)]
    public List<string>? Test { get; set; }

    [JsonIgnore(Condition = WhenWritingDefault)]
    public long Interval { get; set; }

    [JsonIgnore(Condition = WhenWritingDefault)]
    public long Timeout { get; set; }

    [JsonIgnore(Condition = WhenWritingDefault)]
    public long StartPeriod { get; set; }

    /// <summary>API 1.44+.</summary>
    [JsonIgnore(Condition = WhenWritingDefault)]
    public long StartInterval { get; set; }

    [JsonIgnore(Condition = WhenWritingDefault)]
    public int Retries { get; set; }
}

/// <summary>Go's <c>struct{}</c>, the value of Docker's sets (<c>ExposedPorts</c>, <c>Volumes</c>): <c>{}</c>.</summary>
public sealed class EmptyObject
{
}
