namespace Berth.Linux.Seccomp;

/// <summary>The libseccomp this process is linked with.</summary>
public static unsafe class SeccompLibrary
{
    /// <summary><c>major.minor.micro</c>, e.g. <c>2.5.4</c>.</summary>
    public static string Version
    {
        get
        {
            var version = LibSeccomp.seccomp_version();
            return version is null ? "" : $"{version->Major}.{version->Minor}.{version->Micro}";
        }
    }

    /// <summary>
    /// libseccomp's API level for this kernel (<c>seccomp_api_get</c>): 3 adds LOG and KILL_PROCESS, 4 SSB,
    /// 5 user notification, 6 TSYNC together with notification.
    /// </summary>
    public static uint ApiLevel => LibSeccomp.seccomp_api_get();
}
