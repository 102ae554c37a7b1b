using System.Globalization;
using Berth.Engine.Shims;
using Berth.Linux;

namespace Berth.Shim;

/// <summary>A command's failure, sent back as <c>error &lt;message&gt;</c>.</summary>
sealed class CommandException(string message) : Exception(message);

sealed partial class ShimContainer
{
    public void Start()
    {
        var result = _runtime.Run(["start", _options.Id]);
        if (!result.Succeeded)
            throw new CommandException(result.Error);
        Status.MarkRunning();
    }

    public void Kill(int signal, bool all)
    {
        var command = new List<string> { "kill" };
        if (all)
            command.Add("--all");
        command.AddRange([_options.Id, signal.ToString(CultureInfo.InvariantCulture)]);
        var result = _runtime.Run(command);
        if (!result.Succeeded)
            throw new CommandException(Status.Exit is null ? result.Error : "container has exited");
    }

    public void Resize(ushort rows, ushort columns)
    {
        if (!_io.Tty || Status.Exit is not null)
            throw new CommandException(_io.Tty ? "container has exited" : "container has no terminal");
        Resize(_io, rows, columns);
    }

    /// <summary>TIOCSWINSZ on the master (the kernel sends SIGWINCH to the terminal's foreground group).</summary>
    static void Resize(ProcessIo io, ushort rows, ushort columns)
    {
        var master = io.Output!;
        bool referenced = false;
        try
        {
            // A reference, so that the session's end cannot close the master (and its number be reused) meanwhile.
            master.DangerousAddRef(ref referenced);
            Terminal.SetSize((int)master.DangerousGetHandle(), rows, columns);
        }
        catch (LinuxException e)
        {
            throw new CommandException(e.Message);
        }
        catch (ObjectDisposedException)
        {
            throw new CommandException("the process has exited");
        }
        finally
        {
            if (referenced)
                master.DangerousRelease();
        }
    }
}
