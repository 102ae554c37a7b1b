using System.Text;
using Berth.Linux.Interop;

namespace Berth.Linux;

/// <summary>sethostname and setdomainname for the calling process's uts namespace.</summary>
public static unsafe class Hostnames
{
    public static void SetHostname(string name)
    {
        var bytes = Encoding.UTF8.GetBytes(name);
        fixed (byte* p = bytes)
            if (Libc.sethostname(p, (nuint)bytes.Length) < 0)
                throw LinuxException.FromLastError($"sethostname {name}");
    }

    public static void SetDomainname(string name)
    {
        var bytes = Encoding.UTF8.GetBytes(name);
        fixed (byte* p = bytes)
            if (Libc.setdomainname(p, (nuint)bytes.Length) < 0)
                throw LinuxException.FromLastError($"setdomainname {name}");
    }
}
