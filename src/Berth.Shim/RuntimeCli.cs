using System.Text;
using Berth.Engine.Shims;
using Berth.Linux;
using Microsoft.Win32.SafeHandles;

namespace Berth.Shim;

/// <summary>How one invocation of the runtime ended; <see cref="Error"/> is its own message when it failed.</summary>
readonly record struct RuntimeResult(int ExitCode, string Error)
{
    public bool Succeeded => ExitCode == 0;
}

/// <summary>
/// The OCI runtime's command line (runc, crun, berth-runtime): global options, JSON log to
/// runtime.log in the state directory, errors taken from that log (the runtime's last
/// <c>level=error</c> line, as containerd does) or else from its stderr.
/// </summary>
sealed class RuntimeCli(ShimOptions options, Reaper reaper)
{
    readonly string _logPath = Path.Combine(options.StateDirectory, ShimProtocol.RuntimeLogName);

    public string Id => options.Id;

    /// <summary>Runs the runtime to completion (see <see cref="Start"/>).</summary>
    public RuntimeResult Run(IReadOnlyList<string> command, ProcessIo? io = null) => Start(command, io).Wait();

    /// <summary>
    /// Starts the runtime, for work that can be done while it runs; the result's
    /// <see cref="RuntimeInvocation.Wait"/> tells how it ended. <paramref name="io"/>: the stdio that
    /// the process it starts inherits (run, create, exec); by default /dev/null with stderr captured for
    /// the error message.
    /// </summary>
    public RuntimeInvocation Start(IReadOnlyList<string> command, ProcessIo? io = null)
    {
        var stdio = io?.ChildFds;
        long logStart = LogLength();
        var args = new List<string>(16) { options.Runtime };
        args.AddRange(options.RuntimeArgs ?? []);
        args.AddRange(["--root", options.RuntimeRoot, "--log", _logPath, "--log-format", "json"]);
        args.AddRange(command);

        SafeFileHandle? errRead = null, errWrite = null;
        using var devNull = Files.Open("/dev/null", OpenFlags.ReadWrite);
        int nul = (int)devNull.DangerousGetHandle();
        if (stdio is null)
            (errRead, errWrite) = Files.Pipe();
        var fds = stdio ?? (nul, nul, (int)errWrite!.DangerousGetHandle());
        try
        {
            var exited = reaper.Spawn(new SpawnOptions
            {
                Path = options.Runtime,
                Args = args,
                Files = new Dictionary<int, int> { [0] = fds.In, [1] = fds.Out, [2] = fds.Err },
            }).Exited;
            var invocation = new RuntimeInvocation(exited, $"{Path.GetFileName(options.Runtime)} {command[0]}", _logPath, logStart, errRead, io);
            errRead = null;
            return invocation;
        }
        catch (LinuxException e)
        {
            return RuntimeInvocation.NotStarted(e.Message);
        }
        finally
        {
            errWrite?.Dispose();
            errRead?.Dispose();
        }
    }

    /// <summary>What is in a pipe now, without waiting for its writers to close it (a runtime's child may hold it).</summary>
    public static string? ReadAvailable(SafeFileHandle? pipe)
    {
        if (pipe is null)
            return null;
        Files.SetNonBlocking((int)pipe.DangerousGetHandle(), true);
        var text = new MemoryStream();
        Span<byte> buffer = stackalloc byte[4096];
        try
        {
            int n;
            while (text.Length < 65536 && (n = Files.Read(pipe, buffer)) > 0)
                text.Write(buffer[..n]);
        }
        catch (LinuxException e) when (e.Errno == Errno.EAGAIN)
        {
        }
        string result = Encoding.UTF8.GetString(text.GetBuffer(), 0, (int)text.Length).Trim();
        return result.Length == 0 ? null : result;
    }

    long LogLength()
    {
        try
        {
            return new FileInfo(_logPath).Length;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
