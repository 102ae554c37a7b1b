using Berth.Linux;
using Berth.Oci;
using Berth.Oci.Runtime;
using Microsoft.Win32.SafeHandles;

namespace Berth.Runtime.Seccomp;

/// <summary>
/// Hands a container's seccomp notify fd to the agent listening at <c>linux.seccomp.listenerPath</c>: one
/// message carrying the <see cref="ContainerProcessState"/> JSON and the fd (SCM_RIGHTS), as runc sends it.
/// Runs in the runtime process, which can still reach the host path (the init, after pivot_root, cannot).
/// </summary>
internal static class SeccompListener
{
    /// <summary>The name of the fd in <see cref="ContainerProcessState.Fds"/>.</summary>
    public const string SeccompFdName = "seccompFd";

    /// <summary><paramref name="state"/> is the container's state while it is being created (status <c>creating</c>, its init's pid).</summary>
    public static void Send(LinuxSeccomp seccomp, SafeFileHandle notifyFd, HookState state)
    {
        string path = seccomp.ListenerPath ?? throw RuntimeError.Invalid("linux.seccomp.listenerPath: must be set when SCMP_ACT_NOTIFY is used");
        var message = new ContainerProcessState
        {
            OciVersion = RuntimeInfo.OciVersion,
            Fds = [SeccompFdName],
            Pid = state.Pid,
            Metadata = seccomp.ListenerMetadata,
            State = state,
        };
        byte[] json = OciJson.WriteCompact(message);
        try
        {
            using var socket = UnixSockets.Connect(path);
            UnixSockets.SendFds(socket, json, [(int)notifyFd.DangerousGetHandle()]);
        }
        catch (LinuxException e)
        {
            throw new RuntimeError(ErrorKind.Internal, $"linux.seccomp.listenerPath: send the seccomp notify fd to {path}: {e.Message}", e);
        }
    }
}
