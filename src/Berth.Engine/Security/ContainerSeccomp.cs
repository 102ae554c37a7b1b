using Berth.Oci.Runtime;

namespace Berth.Engine.Security;

/// <summary>
/// Which seccomp filter a container gets (moby daemon WithSeccomp): none when privileged or
/// <c>seccomp=unconfined</c>; its own profile when it names one; otherwise the daemon's
/// (<c>seccomp-profile</c>: Docker's default unless set to a file or to unconfined).
/// </summary>
public static class ContainerSeccomp
{
    /// <summary>The name of Docker's default profile, in <c>seccomp=builtin</c> and in docker info.</summary>
    public const string Builtin = "builtin";

    public const string Unconfined = "unconfined";

    /// <param name="containerProfile">From <c>seccomp=...</c>: unconfined, builtin, a profile's JSON, or null.</param>
    /// <param name="daemonProfile">The daemon's: builtin, unconfined, or a profile's JSON.</param>
    /// <param name="capabilities">The container's bounding set, which the profile's rules test.</param>
    public static LinuxSeccomp? For(bool privileged, string? containerProfile, string daemonProfile, IReadOnlyCollection<string> capabilities)
    {
        if (privileged || containerProfile == Unconfined)
            return null;
        string profile = string.IsNullOrEmpty(containerProfile) ? daemonProfile : containerProfile;
        return profile switch
        {
            Unconfined => null,
            Builtin => SeccompProfileSetup.Setup(DefaultSeccompProfile.Profile, capabilities, HostArchitecture.Host, KernelRelease.Host),
            _ => SeccompProfileSetup.Setup(SeccompProfileJson.Parse(profile), capabilities, HostArchitecture.Host, KernelRelease.Host),
        };
    }

    /// <summary>Checks a profile the way starting a container would read it, so that a bad one fails early and changes nothing.</summary>
    /// <exception cref="EngineException">Docker's error for the profile.</exception>
    public static void Validate(string? profile)
    {
        if (profile is not (null or "" or Builtin or Unconfined))
            SeccompProfileSetup.Setup(SeccompProfileJson.Parse(profile), [], HostArchitecture.Host, KernelRelease.Host);
    }
}
