using System.Text;
using Berth.Linux;
using Microsoft.Win32.SafeHandles;

namespace Berth.Init;

/// <summary>Lines to fd 1 and 2 by plain write(2): no Console, which would double the executable's size.</summary>
static class Output
{
    static readonly SafeFileHandle Out = new(1, ownsHandle: false);
    static readonly SafeFileHandle Error = new(2, ownsHandle: false);

    public static void WriteLine(string text) => Write(Out, text);

    public static void WriteError(string text) => Write(Error, text);

    static void Write(SafeFileHandle fd, string text)
    {
        try
        {
            Files.WriteAll(fd, Encoding.UTF8.GetBytes(text + "\n"));
        }
        catch (LinuxException)
        {
            // Closed or a broken pipe: the exit status still tells.
        }
    }
}
