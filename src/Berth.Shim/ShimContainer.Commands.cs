using System.Globalization;
using Berth.Engine.Shims;
using Berth.Linux;

namespace Berth.Shim;

/// <summary>A command's failure, sent back as <c>error &lt;message&gt;</c>.</summary>
sealed class CommandException(string message) : Exception(message);

sealed partial class ShimContainer
{
    public void Kill(int signal, bool all)
    {
        if (TryEndUnstarted(signal))
            return;
        // A kill that came during the start acts on what the start made.
        if (Status.WaitSettled() != ContainerPhase.Running && Status.Exit is null)
            throw new CommandException(NotStarted);
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
        if (!_io.Tty)
            throw new CommandException("container has no terminal");
        if (TryKeepSizeForStart(rows, columns))
            return;
        if (Status.WaitSettled() != ContainerPhase.Running && Status.Exit is null)
            throw new CommandException(NotStarted);
        if (Status.Exit is not null)
            throw new CommandException("container has exited");
        Resize(_io, rows, columns);
    }

    string NotStarted => $"container {_options.Id} was not started";

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
