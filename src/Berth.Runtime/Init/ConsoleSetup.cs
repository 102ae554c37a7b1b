using System.Text;
using Berth.Linux;
using Microsoft.Win32.SafeHandles;

namespace Berth.Runtime.Init;

/// <summary>
/// A terminal for the container, as runc makes it: a new pty from the container's own devpts;
/// the master goes to the caller over the console socket (SCM_RIGHTS), the slave becomes
/// stdin, stdout, stderr, the controlling terminal and /dev/console.
/// </summary>
internal static class ConsoleSetup
{
    public static void Create(int consoleSocketFd, uint? height, uint? width, bool mountDevConsole)
    {
        var (master, slavePath) = Terminal.OpenPty("/dev/ptmx");
        using (master)
        {
            if (height is > 0 && width is > 0)
                Terminal.SetSize((int)master.DangerousGetHandle(), (ushort)height.Value, (ushort)width.Value);
            using var socket = new SafeFileHandle(consoleSocketFd, ownsHandle: true);
            UnixSockets.SendFds(socket, Encoding.UTF8.GetBytes("/dev/ptmx"), [(int)master.DangerousGetHandle()]);
        }
        using var slave = Files.Open(slavePath, OpenFlags.ReadWrite | OpenFlags.NoCtty);
        if (mountDevConsole)
            Mounts.Mount(slavePath, "/dev/console", null, MountFlags.Bind);
        int fd = (int)slave.DangerousGetHandle();
        for (int i = 0; i < 3; i++)
            Files.Duplicate(fd, i);
        Terminal.SetControlling(0);
    }
}
