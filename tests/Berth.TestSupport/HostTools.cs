namespace Berth.TestSupport;

/// <summary>Programs the tests need from the host; a missing one fails the test with the package to install.</summary>
public static class HostTools
{
    public static string Require(string name, string package)
    {
        // The sbin directories too: daemons (dockerd) live there, and a non-login PATH may lack them.
        string search = (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin") + ":/usr/local/sbin:/usr/sbin:/sbin";
        foreach (var dir in search.Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            string path = Path.Combine(dir, name);
            if (File.Exists(path))
                return path;
        }
        Assert.Fail($"{name} is not installed: apt-get install {package} (./test.sh installs it)");
        return "";
    }

    /// <summary>/bin/busybox from Debian's busybox-static: statically linked, so it runs in any rootfs.</summary>
    public static string Busybox
    {
        get
        {
            const string path = "/bin/busybox";
            if (!File.Exists(path))
                Assert.Fail("/bin/busybox is missing: apt-get install busybox-static (./test.sh installs it)");
            return path;
        }
    }
}
