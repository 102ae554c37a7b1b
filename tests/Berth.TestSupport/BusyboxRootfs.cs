using System.Formats.Tar;

namespace Berth.TestSupport;

/// <summary>
/// A minimal root file system made offline from Debian's busybox-static: /bin/busybox with a
/// link for every applet where busybox --list-full puts it, /etc/passwd and /etc/group, and the
/// usual empty directories. Built once per test process, copied per bundle.
/// </summary>
public static class BusyboxRootfs
{
    static readonly Lazy<string> Template = new(Build);

    /// <summary>The shared, read-only template (do not modify it).</summary>
    public static string TemplatePath => Template.Value;

    /// <summary>Makes a private copy at <paramref name="destination"/>.</summary>
    public static void CopyTo(string destination)
    {
        var result = ProcessRunner.Run("/bin/cp", ["-a", TemplatePath + "/.", destination]);
        result.EnsureSuccess("copy busybox rootfs");
    }

    /// <summary>The rootfs as an uncompressed tar (what `docker import` and the image store take).</summary>
    public static string Tar(string destinationFile)
    {
        TarFile.CreateFromDirectory(TemplatePath, destinationFile, includeBaseDirectory: false);
        return destinationFile;
    }

    static string Build()
    {
        string busybox = HostTools.Busybox;
        string root = Path.Combine(Path.GetTempPath(), $"berth-test-rootfs-{Environment.ProcessId}");
        if (Directory.Exists(root))
            Directory.Delete(root, recursive: true);
        foreach (var dir in new[] { "bin", "sbin", "usr/bin", "usr/sbin", "etc", "proc", "sys", "dev", "root", "tmp", "var", "run", "home" })
            Directory.CreateDirectory(Path.Combine(root, dir));
        File.SetUnixFileMode(Path.Combine(root, "tmp"), (UnixFileMode)Convert.ToInt32("1777", 8));
        File.Copy(busybox, Path.Combine(root, "bin/busybox"));
        File.SetUnixFileMode(Path.Combine(root, "bin/busybox"), (UnixFileMode)Convert.ToInt32("755", 8));
        var list = ProcessRunner.Run(busybox, ["--list-full"]).EnsureSuccess("busybox --list-full");
        foreach (var applet in list.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string link = Path.Combine(root, applet);
            if (applet == "bin/busybox" || File.Exists(link))
                continue;
            Directory.CreateDirectory(Path.GetDirectoryName(link)!);
            int depth = applet.Count(c => c == '/');
            File.CreateSymbolicLink(link, string.Concat(Enumerable.Repeat("../", depth)) + "bin/busybox");
        }
        File.WriteAllText(Path.Combine(root, "etc/passwd"),
            "root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1:daemon:/usr/sbin:/bin/false\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n");
        File.WriteAllText(Path.Combine(root, "etc/group"), "root:x:0:\ndaemon:x:1:\ntty:x:5:\nnogroup:x:65534:\n");
        File.WriteAllText(Path.Combine(root, "etc/hostname"), "busybox\n");
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
            }
        };
        return root;
    }
}
