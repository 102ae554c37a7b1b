using System.Text.Encodings.Web;
using System.Text.Json;

namespace Berth.Engine.Security;

/// <summary>
/// A container's <c>HostConfig.SecurityOpt</c> as dockerd reads it (moby daemon parseSecurityOpt):
/// <c>no-new-privileges[=bool]</c>, <c>writable-cgroups[=bool]</c> (Docker 28: /sys/fs/cgroup mounted read-write,
/// so the container can manage cgroups below its own), <c>seccomp=unconfined|builtin|&lt;profile JSON&gt;</c>
/// (the docker CLI sends a profile file's content), and <c>label=...</c>, <c>apparmor=...</c>, <c>disable</c>, accepted and
/// without effect on a host with neither SELinux nor AppArmor. <c>key:value</c> is the old spelling of
/// <c>key=value</c>.
/// </summary>
public sealed record SecurityOptions(bool NoNewPrivileges, string? SeccompProfile, bool WritableCgroups = false)
{
    /// <param name="noNewPrivileges">The daemon's default (dockerd's --no-new-privileges).</param>
    /// <exception cref="EngineException">Docker's <c>invalid --security-opt N: "..."</c>.</exception>
    public static SecurityOptions Parse(IReadOnlyList<string>? options, bool noNewPrivileges = false)
    {
        string? seccomp = null;
        bool writableCgroups = false;
        foreach (string option in options ?? [])
        {
            if (option == "no-new-privileges")
            {
                noNewPrivileges = true;
                continue;
            }
            if (option == "writable-cgroups")
            {
                writableCgroups = true;
                continue;
            }
            if (option == "disable")
                continue;
            int cut = option.IndexOf('=');
            if (cut < 0)
                cut = option.IndexOf(':');
            if (cut < 0)
                throw Invalid(1, option);
            string value = option[(cut + 1)..];
            switch (option[..cut])
            {
                case "label" or "apparmor":
                    break;
                case "seccomp":
                    seccomp = value;
                    break;
                case "no-new-privileges":
                    noNewPrivileges = ParseBool(value) ?? throw Invalid(2, option);
                    break;
                case "writable-cgroups":
                    writableCgroups = ParseBool(value) ?? throw Invalid(2, option);
                    break;
                default:
                    throw Invalid(2, option);
            }
        }
        return new SecurityOptions(noNewPrivileges, seccomp, writableCgroups);
    }

    // Go's strconv.ParseBool.
    static bool? ParseBool(string text) => text switch
    {
        "1" or "t" or "T" or "TRUE" or "true" or "True" => true,
        "0" or "f" or "F" or "FALSE" or "false" or "False" => false,
        _ => null,
    };

    // Go's %q, which JSON's string escaping matches but for control characters.
    static EngineException Invalid(int kind, string option)
        => EngineException.Invalid($"invalid --security-opt {kind}: \"{JsonEncodedText.Encode(option, JavaScriptEncoder.UnsafeRelaxedJsonEscaping)}\"");
}
